"""The stage rule: the highest target met with all its prerequisites met."""

from hypothesis import given
from hypothesis import strategies as st

from milestones import stages

CYBER, CORE, FULL, SCR = 1, 2, 3, 4
ORDER = [CYBER, CORE, FULL, SCR]
NEEDS = {FULL: {CORE}}


def test_a_target_ranks_above_its_prerequisites_whatever_the_display_order():
    assert stages.ladder(NEEDS, ORDER) == [CYBER, CORE, SCR, FULL]
    assert stages.ladder({CORE: {FULL}}, ORDER) == [CYBER, FULL, SCR, CORE]


def test_stage_is_the_highest_target_met_with_its_prerequisites():
    ranked = stages.ladder(NEEDS, ORDER)
    assert stages.stage_for({CYBER, CORE, FULL}, NEEDS, ranked) == FULL
    assert stages.stage_for({CYBER, CORE}, NEEDS, ranked) == CORE
    assert stages.stage_for(set(), NEEDS, ranked) is None


def test_full_digitisation_without_core_does_not_count():
    ranked = stages.ladder(NEEDS, ORDER)
    assert stages.stage_for({FULL}, NEEDS, ranked) is None
    assert stages.stage_for({FULL, CYBER}, NEEDS, ranked) == CYBER


def test_prerequisites_of_prerequisites_count():
    needs = {FULL: {CORE}, CORE: {CYBER}}
    ranked = stages.ladder(needs, ORDER)
    assert ranked == [CYBER, SCR, CORE, FULL]
    assert stages.stage_for({CORE, FULL}, needs, ranked) is None
    assert stages.stage_for({CYBER, CORE, FULL}, needs, ranked) == FULL


def test_a_cycle_is_found_and_a_chain_is_not():
    assert stages.prerequisite_cycle(NEEDS) is None
    assert stages.prerequisite_cycle({FULL: {CORE}, CORE: {CYBER}, CYBER: {FULL}}) in (
        [FULL, CORE, CYBER, FULL],
        [CORE, CYBER, FULL, CORE],
        [CYBER, FULL, CORE, CYBER],
    )
    assert stages.prerequisite_cycle({CORE: {CORE}}) == [CORE, CORE]


def test_stage_changes_list_each_move_once():
    ranked = stages.ladder(NEEDS, ORDER)
    months = [
        ("2021-01", set()),
        ("2021-02", {CYBER}),
        ("2021-03", {CYBER}),
        ("2021-04", {CYBER, CORE, FULL}),
        ("2021-05", {FULL}),
    ]
    assert stages.stage_changes(months, NEEDS, ranked) == [
        ("2021-02", None, CYBER),
        ("2021-04", CYBER, FULL),
        ("2021-05", FULL, None),
    ]


acyclic = st.dictionaries(
    st.integers(min_value=1, max_value=6), st.sets(st.integers(min_value=1, max_value=6), max_size=3), max_size=6
).map(lambda needs: {target: {other for other in others if other < target} for target, others in needs.items()})


@given(acyclic, st.sets(st.integers(min_value=1, max_value=6)))
def test_the_stage_is_met_with_everything_below_it_and_nothing_met_ranks_higher(needs, met):
    order = list(range(1, 7))
    ranked = stages.ladder(needs, order)
    stage = stages.stage_for(met, needs, ranked)
    qualifying = [target for target in ranked if target in met and stages.all_prerequisites(needs, target) <= met]
    if stage is None:
        assert not qualifying
    else:
        assert stage in met and stages.all_prerequisites(needs, stage) <= met
        assert ranked.index(stage) == max(ranked.index(target) for target in qualifying)


@given(acyclic)
def test_ladder_puts_every_prerequisite_below_its_target(needs):
    ranked = stages.ladder(needs, list(range(1, 7)))
    for target, others in needs.items():
        for needed in others:
            assert ranked.index(needed) < ranked.index(target)
    assert stages.prerequisite_cycle(needs) is None
