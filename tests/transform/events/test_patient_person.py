"""The patient is the person the case is about: the pregnant mother, not her fetus or
newborn, unless the case is the child's (transform/events/caseinfo.py:build_case_info).
Made-up sentences."""

from __future__ import annotations

from tests.transform.events.test_events import Story


def test_the_pregnant_patient_keeps_her_sex_beside_her_male_fetus() -> None:
    """The age sentence is the mother's: 'male fetus' and the infant's 'he' are the child's."""
    s = Story()
    s.say("A 31-year-old multigravida was sent to us at 22 weeks with a fetal neck mass.")
    s.say("The scan showed a male fetus whose mass grew as he moved.")
    s.say("A healthy male infant was born at term and he fed well.")
    (case,) = s.cases()
    assert (case.info.age, case.info.sex) == (31, "female")


def test_a_newborn_patient_keeps_his_own_sex() -> None:
    """When the age sentence is the child's, the case is the child's."""
    s = Story()
    s.say("A 3-day-old newborn was brought in with a tongue swelling.")
    s.say("His mother said he had fed poorly and he had lost weight.")
    (case,) = s.cases()
    assert case.info.sex == "male"


def test_pronouns_of_the_fetus_do_not_make_the_mother_male() -> None:
    s = Story()
    s.say("A 29-year-old was seen at 30 weeks of gestation for reduced movements.")
    s.say("The fetus lay breech and he had a cleft lip.")
    s.say("At delivery the baby cried at once and he was pink.")
    s.say("She chose a planned caesarean section.")
    (case,) = s.cases()
    assert (case.info.age, case.info.sex) == (29, "female")
