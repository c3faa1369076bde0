"""Hypothesis strategies: small random cities (up to 8 offers × 6 needs) that hit every rule."""

from hypothesis import strategies as st

from matching.engine.types import CostWeights, NeedInput, OfferInput, Problem, Reach

DISTRICTS = {1: 10, 2: 10, 3: 10, 4: 20, 5: 20}  # district -> ward
NEIGHBOURS = ((1, 2), (3, 4))  # 3–4 are neighbours across a ward border
CATEGORIES = (1, 2)
SKILLS = (1, 2, 3)
# Low slots, and one in the second 64-bit word so both words are exercised.
SLOT_BITS = (0, 1, 3, 4, 100)


@st.composite
def slot_masks(draw: st.DrawFn, *, empty: bool) -> int:
    chosen = draw(st.sets(st.sampled_from(SLOT_BITS), min_size=0 if empty else 1, max_size=3))
    return sum(1 << bit for bit in chosen)


@st.composite
def offers(draw: st.DrawFn, offer_id: int) -> OfferInput:
    district = draw(st.sampled_from(sorted(DISTRICTS)))
    return OfferInput(
        offer_id=offer_id,
        person_id=draw(st.integers(1, 6)),  # few people: some hold several offers
        school_district=district,
        ward=DISTRICTS[district],
        reach=draw(st.sampled_from(list(Reach))),
        categories=draw(st.frozensets(st.sampled_from(CATEGORIES), min_size=1)),
        skills=draw(st.frozensets(st.sampled_from(SKILLS))),
        qualifications=draw(st.frozensets(st.sampled_from((7,)))),
        languages=draw(st.sampled_from([frozenset({"ja"}), frozenset({"ja", "en"})])),
        age=draw(st.none() | st.integers(15, 85)),
        slots=draw(slot_masks(empty=False)),
        capacity=draw(st.integers(0, 2)),
        recent_load=draw(st.integers(0, 3)),
        is_newcomer=draw(st.booleans()),
    )


@st.composite
def needs(draw: st.DrawFn, need_id: int) -> NeedInput:
    district = draw(st.sampled_from(sorted(DISTRICTS)))
    return NeedInput(
        need_id=need_id,
        school_district=district,
        ward=DISTRICTS[district],
        category=draw(st.sampled_from(CATEGORIES)),
        slots=draw(slot_masks(empty=False)),
        headcount=draw(st.integers(1, 3)),
        reach=draw(st.sampled_from(list(Reach))),
        requester_id=draw(st.none() | st.integers(1, 6)),
        required_skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=1)),
        preferred_skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=2)),
        required_qualifications=draw(st.frozensets(st.sampled_from((7, 8)), max_size=1)),
        required_languages=draw(st.sampled_from([frozenset(), frozenset({"en"})])),
        min_age=draw(st.none() | st.integers(15, 60)),
        max_age=draw(st.none() | st.integers(40, 90)),
        urgency=draw(st.integers(0, 2)),
    )


@st.composite
def weights(draw: st.DrawFn) -> CostWeights:
    # A small fill_reward sometimes, so that some pairs do not pay and must be left out.
    return draw(
        st.sampled_from(
            [CostWeights(), CostWeights(fill_reward=60), CostWeights(travel=(0, 5, 5, 30), fill_reward=40)]
        )
    )


@st.composite
def problems(draw: st.DrawFn, max_offers: int = 8, max_needs: int = 6) -> Problem:
    offer_ids = draw(st.lists(st.integers(1, 99), min_size=1, max_size=max_offers, unique=True))
    need_ids = draw(st.lists(st.integers(1, 99), min_size=1, max_size=max_needs, unique=True))
    generated_offers = tuple(draw(offers(offer_id)) for offer_id in offer_ids)
    generated_needs = tuple(draw(needs(need_id)) for need_id in need_ids)
    # Some pairs were rejected by staff or declined earlier: they must never come back.
    all_pairs = sorted({(o.person_id, n.need_id) for o in generated_offers for n in generated_needs})
    excluded = draw(st.lists(st.sampled_from(all_pairs), max_size=3, unique=True)) if all_pairs else []
    return Problem(
        offers=generated_offers,
        needs=generated_needs,
        excluded_pairs=tuple(excluded),
        neighbours=NEIGHBOURS,
        first_weekday=draw(st.integers(0, 6)),
        skill_names=((1, "傾聴"), (2, "運転")),
        weights=draw(weights()),
    )
