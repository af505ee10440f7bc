"""ID / USCC / phone validation (property tests), fixed-width masks, field encryption and the audit helper."""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.factories import make_worker
from wagewatch import audit, crypto
from wagewatch.extensions import db
from wagewatch.identity import make_id_number, make_uscc
from wagewatch.masking import mask_account, mask_id, mask_phone
from wagewatch.models import AuditLog, Worker
from wagewatch.people import find_worker, id_number_of
from wagewatch.validators import USCC_ALPHABET, id_number_error, phone_error, uscc_error

seeds = st.integers(min_value=0, max_value=2**32)


@given(seeds)
def test_generated_id_numbers_are_valid(seed):
    assert id_number_error(make_id_number(random.Random(seed))) is None


@settings(max_examples=60)
@given(seeds, st.integers(min_value=0, max_value=17))
def test_every_single_character_change_of_an_id_number_is_rejected(seed, position):
    valid = make_id_number(random.Random(seed))
    alphabet = "0123456789X" if position == 17 else "0123456789"
    for replacement in alphabet:
        if replacement != valid[position]:
            changed = valid[:position] + replacement + valid[position + 1:]
            assert id_number_error(changed) is not None, changed


@given(seeds)
def test_generated_uscc_codes_are_valid(seed):
    assert uscc_error(make_uscc(random.Random(seed))) is None


@settings(max_examples=40)
@given(seeds, st.integers(min_value=0, max_value=17))
def test_every_single_character_change_of_a_uscc_is_rejected(seed, position):
    valid = make_uscc(random.Random(seed))
    for replacement in USCC_ALPHABET:
        if replacement != valid[position]:
            changed = valid[:position] + replacement + valid[position + 1:]
            assert uscc_error(changed) is not None, changed


@pytest.mark.parametrize("value,message", [
    ("11010519491231002x", None),  # lowercase x accepted (normalised)
    ("11010519491231002X", None),
    ("１１０１０５１９４９１２３１００２X", "半角"),
    ("110105194902300027", "出生日期"),
    ("11010519491231002", "18位"),
    ("110105194912310021", "校验位"),
])
def test_id_number_messages(value, message):
    error = id_number_error(value)
    assert (error is None) if message is None else (message in error)


@pytest.mark.parametrize("value", ["91350100M000100Y4I", "91350100M000100Y4O", "91350100Z00010OY43"])
def test_uscc_rejects_letters_outside_the_alphabet(value):
    assert uscc_error(value) is not None


@pytest.mark.parametrize("value,ok", [("13899990000", True), ("+8613899990000", False), ("12899990000", False),
                                      ("1389999000", False), ("1389999000a", False)])
def test_phone(value, ok):
    assert (phone_error(value) is None) is ok


@given(st.text(alphabet="0123456789X", min_size=15, max_size=18))
def test_id_mask_is_fixed_width(value):
    assert len(mask_id(value)) == 11 and mask_id(value).count("*") >= 5


def test_masks():
    assert mask_id("450102199001011319") == "450*****319"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_account("30010101040012345") == "**** 2345"


def test_id_numbers_are_encrypted_at_rest_and_found_by_hash(app):
    worker = make_worker("阿依古丽·买买提")
    db.session.commit()
    stored = db.session.scalars(select(Worker)).one()
    plain = id_number_of(stored)
    assert plain.encode() not in stored.id_number_enc
    assert stored.id_number_hash == crypto.lookup_hash(plain) and len(stored.id_number_hash) == 64
    assert find_worker(plain).id == worker.id
    assert find_worker(plain.lower()).id == worker.id
    assert stored.id_number_masked == mask_id(plain)


def test_ciphertexts_differ_for_the_same_value(app):
    assert crypto.encrypt("650102199001011234") != crypto.encrypt("650102199001011234")
    assert crypto.decrypt(crypto.encrypt("x")) == "x"


def test_audit_records_who_what_when_where(app, client, login):
    user = login()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        audit.record("project_reviewed", object_type="projects", object_id=7, user_id=user.id, actor=user.username,
                     decision="approved")
        db.session.commit()
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "project_reviewed")).one()
    assert (entry.user_id, entry.object_type, entry.object_id, entry.address) == (user.id, "projects", "7", "10.1.2.3")
    assert entry.details == {"decision": "approved"} and entry.at is not None


# --- ID numbers and phones never in clear in URLs, export parameters or the audit log (personal_search) ---

def _roster_with_known_number():
    from tests.factories import ProjectFactory, employ
    from wagewatch.people import new_worker

    project = ProjectFactory(region="652328", review_status="approved", status="in_progress")
    number = make_id_number(random.Random(11), "652328")
    worker = new_worker(number, "古丽")
    db.session.add(worker)
    db.session.flush()
    employ(project, worker)
    employ(project, make_worker("别人"))
    db.session.commit()
    return project, number


def _no_number_in(text: str, number: str) -> None:
    assert number not in text and number.lower() not in text and number[6:14] not in text


@pytest.mark.parametrize("javascript", [False, True])
def test_id_number_search_posts_once_and_lands_on_a_url_holding_only_its_keyed_hash(app, client, hx, login,
                                                                                    javascript):
    project, number = _roster_with_known_number()
    login(region="652328")
    browser = hx if javascript else client
    response = browser.post("/projects/site", data={"project_id": project.id, "tab": "workers", "name": "",
                                                    "id_number": number.lower()})
    assert response.status_code == 303  # fetch follows it with the same HX headers; a browser without JS too
    location = response.headers["Location"]
    _no_number_in(location, number)
    assert f"id_hash={crypto.lookup_hash(number)}" in location and "id_number" not in location
    page = browser.get(location)  # bookmarkable: the same URL shows the same search again
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ("<html" in html) is not javascript
    assert "古丽" in html and "别人" not in html and f"按身份证号 {mask_id(number)} 筛选" in html
    _no_number_in(html, number)
    # the form carries the hash on, so a further search (by name) keeps the ID filter
    assert f'name="id_hash" value="{crypto.lookup_hash(number)}"' in html and 'method="post"' in html


def test_an_old_link_with_the_number_is_redirected_to_its_hash(client, login):
    project, number = _roster_with_known_number()
    login(region="652328")
    response = client.get(f"/projects/site?project_id={project.id}&id_number={number}")
    assert response.status_code == 303
    _no_number_in(response.headers["Location"], number)


def test_a_wrong_number_is_shown_back_with_its_error_never_redirected(client, hx, login):
    project, _ = _roster_with_known_number()
    login(region="652328")
    for browser in (client, hx):
        response = browser.post("/projects/site", data={"project_id": project.id, "id_number": "652328"})
        assert response.status_code == 422 and "请输入完整、正确的18位身份证号" in response.get_data(as_text=True)
    assert response.headers["HX-Push-Url"] == "false"
    bad_hash = client.get(f"/projects/site?project_id={project.id}&id_hash=652328")
    assert bad_hash.status_code == 422 and "搜索条件无效" in bad_hash.get_data(as_text=True)


@pytest.mark.parametrize("how", ["hash", "number"])
def test_roster_export_by_id_number_keeps_only_hash_and_mask(client, login, how):
    from wagewatch.models import ExportJob

    project, number = _roster_with_known_number()
    login(region="652328")
    search = {"id_hash": crypto.lookup_hash(number)} if how == "hash" else {"id_number": number}
    assert client.post("/exports", data={"kind": "roster", "project_id": project.id, **search}).status_code == 303
    export = db.session.scalars(select(ExportJob)).one()
    assert export.status == "done" and export.rows == 1
    assert export.params == {"project_id": str(project.id), "id_hash": crypto.lookup_hash(number),
                             "id_masked": mask_id(number)}
    details = db.session.scalars(select(AuditLog.details).where(AuditLog.action == "export_requested")).one()
    _no_number_in(repr(details), number)
    assert details["params"]["id_masked"] == mask_id(number)
    listing = client.get("/exports").get_data(as_text=True)
    assert f"身份证号 {mask_id(number)}" in listing
    _no_number_in(listing, number)


def test_protect_hashes_and_masks_phones_and_id_numbers(app):
    from wagewatch.personal_search import hide_numbers, protect

    number = make_id_number(random.Random(3))
    safe = protect({"phone": "13812345678", "id_number": number, "name": "古丽"})
    assert safe == {"phone_hash": crypto.lookup_hash("13812345678"), "phone_masked": "138****5678",
                    "id_hash": crypto.lookup_hash(number), "id_masked": mask_id(number), "name": "古丽"}
    assert hide_numbers({"phone": "1381234"}) == ({}, False)
    assert protect({"id_masked": "假的", "name": "x"}) == {"name": "x"}


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_numbers_stored_before_hashing_are_scrubbed_by_the_nightly_purge(request, database):
    from jobs.maintenance import purge_old_exports
    from tests.conftest import make_user
    from wagewatch.models import ExportJob

    request.getfixturevalue("app" if database == "sqlite" else "pg_app")
    user = make_user("old_export", role="reviewer")
    number = make_id_number(random.Random(9))
    export = ExportJob(user_id=user.id, kind="roster", params={"project_id": "1", "id_number": number},
                       status="done")
    db.session.add(export)
    db.session.flush()
    audit.record("export_requested", export, user_id=user.id, actor=user.username, kind="roster",
                 params={"project_id": "1", "id_number": number})
    db.session.commit()
    purge_old_exports()
    db.session.expire_all()
    export = db.session.get(ExportJob, export.id)
    assert export.params == {"project_id": "1", "id_hash": crypto.lookup_hash(number), "id_masked": mask_id(number)}
    details = db.session.scalars(select(AuditLog.details).where(AuditLog.action == "export_requested")).one()
    assert details["params"] == export.params and details["kind"] == "roster"
