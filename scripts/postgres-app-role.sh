#!/bin/sh
# PostgreSQL's image runs this once, when its data volume is first made (docker-compose.yml): the
# application's login role. It owns nothing; `manage.py migrate`, run as the owner
# (DATABASE_OWNER_URL), grants it its privileges, only reading and appending on the ledger.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="${POSTGRES_APP_PASSWORD:-volunteer_app}" <<'SQL'
CREATE ROLE volunteer_app LOGIN PASSWORD :'app_password';
SQL
