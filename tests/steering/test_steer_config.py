"""The steering section of /etc/config/wifimgr: defaults, validation, changes, schema."""

from __future__ import annotations

import pytest

from wifimgr.core.errors import InvalidArgument
from wifimgr.core.record import fields
from wifimgr.platform.ucitext import parse
from wifimgr.settings import steering as config
from wifimgr.settings.steering import DEFAULTS, OPTIONS, SteeringConfig

V06 = {  # spec/platform.md §f.2
    "interval": 10, "attlm_duration": 300000, "snr_low_6g": 2, "snr_high_6g": 20,
    "snr_low_5g": 0, "snr_high_5g": 15, "score_disable": 4000, "score_enable": 6000,
    "retries_confirm": 15, "retries_min_pkts": 20, "rssi_floor": -92,
    "link_inactive_max": 30000, "bad_confirm": 3, "cooldown": 30, "rtwt": True,
    "rtwt_voice_id": 1, "rtwt_video_id": 2, "rtwt_check_interval": 6, "rtwt_max_fails": 3,
    "attlm_switch_time": 200,
}


def pkg(text: str):
    return parse(text, "wifimgr")


def test_defaults_are_the_v06_constants():
    for k, v in V06.items():
        assert getattr(DEFAULTS, k) == v, k
    assert (DEFAULTS.mode, DEFAULTS.population, DEFAULTS.enabled) == ("auto", "all", False)


def test_schema_and_dataclass_agree():
    assert list(OPTIONS) == [f.name for f in fields(SteeringConfig)]
    for f in fields(SteeringConfig):
        assert OPTIONS[f.name].default == f.default


def test_missing_file_or_section_gives_defaults():
    assert config.load(None) == DEFAULTS
    assert config.load(pkg("config defaults 'defaults'\n\toption applied '1'\n")) == DEFAULTS


def test_load_reads_and_types_every_option():
    cfg = config.load(pkg(
        "config defaults 'defaults'\n\toption applied '1'\n\n"
        "config steering 'steering'\n\toption enabled '1'\n\toption mode '5g_only'\n"
        "\toption population 'majority'\n\toption interval '15'\n\toption snr_low_6g '-3'\n"
        "\toption neg_ttlm 'off'\n\toption some_future_option 'x'\n"))
    assert cfg.enabled is True and cfg.mode == "5g_only" and cfg.population == "majority"
    assert cfg.interval == 15 and cfg.snr_low_6g == -3 and cfg.neg_ttlm is False


def test_an_anonymous_steering_section_is_found():
    cfg = config.load(pkg("config steering\n\toption mode 'off'\n"))
    assert cfg.mode == "off"


@pytest.mark.parametrize(("text", "field"), [
    ("option mode 'turbo'", "mode"),
    ("option interval 'ten'", "interval"),
    ("option interval '1'", "interval"),
    ("option population 'some'", "population"),
    ("option enabled 'maybe'", "enabled"),
    ("option snr_low_6g '25'", "snr_low_6g"),           # above snr_high_6g (20)
    ("option score_enable '3000'", "score_enable"),      # below score_disable
    ("option rtwt_video_id '1'", "rtwt_video_id"),       # same id as voice
    ("option attlm_duration '15000'", "attlm_duration"),  # shorter than two intervals
    ("option attlm_duration '16000001'", "attlm_duration"),
    ("list mode 'auto'", "mode"),
])
def test_bad_values_in_the_file_name_the_option(text, field):
    with pytest.raises(InvalidArgument) as e:
        config.load(pkg(f"config steering 'steering'\n\t{text}\n"))
    assert e.value.field == field
    assert field in e.value.message


def test_a_section_named_steering_of_another_type_is_an_error():
    with pytest.raises(InvalidArgument) as e:
        config.load(pkg("config defaults 'steering'\n"))
    assert e.value.field == "steering"


def test_apply_changes_creates_the_section_and_normalises_values():
    before = pkg("config defaults 'defaults'\n\toption applied '1'\n")
    text_before = before.to_text()
    after = config.apply_changes(before, {"mode": "5g_only", "interval": "20", "rtwt": False,
                                          "neg_ttlm": 1})
    assert before.to_text() == text_before              # input untouched
    sec = after["steering"]
    assert sec.type == "steering"
    assert sec.options == {"mode": "5g_only", "interval": "20", "rtwt": "0", "neg_ttlm": "1"}
    assert after["defaults"].options == {"applied": "1"}
    assert config.load(after).interval == 20


def test_apply_changes_on_a_missing_file_and_null_resets_to_default():
    after = config.apply_changes(None, {"cooldown": 45})
    assert after.name == "wifimgr" and config.load(after).cooldown == 45
    again = config.apply_changes(after, {"cooldown": None})
    assert "cooldown" not in again["steering"].options
    assert config.load(again).cooldown == 30


@pytest.mark.parametrize(("changes", "field"), [
    ({"mode": "fast"}, "mode"),
    ({"bogus": 1}, "bogus"),
    ({"interval": 0}, "interval"),
    ({"interval": True}, "interval"),
    ({"snr_high_5g": -1}, "snr_high_5g"),               # now below snr_low_5g (0)
    ({"snr_low_5g": 15}, "snr_low_5g"),                 # equal to snr_high_5g
    ({"score_disable": 7000}, "score_disable"),
    ({"interval": 200}, "interval"),                    # 300 s block < two 200 s intervals
    ({}, "values"),
])
def test_apply_changes_rejects_bad_input_naming_the_field(changes, field):
    before = pkg("config steering 'steering'\n\toption mode 'auto'\n")
    text = before.to_text()
    with pytest.raises(InvalidArgument) as e:
        config.apply_changes(before, changes)
    assert e.value.field == field
    assert before.to_text() == text


def test_apply_changes_refuses_to_build_on_a_broken_file():
    with pytest.raises(InvalidArgument) as e:
        config.apply_changes(pkg("config steering 'steering'\n\toption interval 'x'\n"),
                             {"mode": "off"})
    assert e.value.field == "interval"


def test_describe_lists_every_option_with_range_unit_and_value():
    cfg = DEFAULTS.replace(mode="all_on")
    rows = {r["name"]: r for r in config.describe(cfg)}
    assert set(rows) == set(OPTIONS)
    assert rows["mode"]["value"] == "all_on" and rows["mode"]["choices"] == list(config.MODES)
    assert rows["cooldown"] == {**rows["cooldown"], "unit": "s", "min": 0, "max": 3600,
                                "default": 30, "v06": "COOLDOWN_S"}
    assert all(r["doc"] for r in rows.values())


def test_replace_validates():
    assert DEFAULTS.replace(population="none").population == "none"
    with pytest.raises(InvalidArgument):
        DEFAULTS.replace(population="few")
