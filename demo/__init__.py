"""The demo city: the top floor. It builds a city with a history through the apps' services (bulk
inserts only for the generated history), in the embedded demo mode only. No app imports it."""
