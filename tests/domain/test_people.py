"""The people directory's rules: which source wins, name lookups, and the uploaded CSV's checks."""

from __future__ import annotations

from portal.domain.people import (
    Directory,
    PeopleReject,
    Person,
    is_email,
    merged,
    read_people_csv,
)

ANNA = "anna.schmidt@example.com"


def person(source: str, name: str = "Anna Schmidt", **more: str) -> Person:
    return Person(ANNA, name, source, **more)


# --- precedence ---------------------------------------------------------------------------------


def test_an_upload_wins_over_a_sign_in_which_wins_over_mlflow():
    assert merged(person("sign_in"), person("upload", "Dr. Anna Schmidt")).name == (
        "Dr. Anna Schmidt"
    )
    assert merged(person("upload"), person("sign_in", "Anna S.")) is None
    assert merged(person("mlflow", "anna.schmidt"), person("sign_in")).name == "Anna Schmidt"
    assert merged(person("sign_in"), person("mlflow", "anna.schmidt")) is None
    assert merged(person("upload"), person("mlflow", "anna.schmidt")) is None


def test_the_demo_ranks_below_a_sign_in_and_above_mlflow():
    assert merged(person("demo"), person("sign_in", "Anna S.")).name == "Anna S."
    assert merged(person("sign_in"), person("demo", "Demo Anna")) is None
    assert merged(person("mlflow", "anna.schmidt"), person("demo")).source == "demo"


def test_a_new_person_is_added_and_a_repeated_one_changes_nothing():
    assert merged(None, person("sign_in")) == person("sign_in")
    assert merged(person("sign_in"), person("sign_in")) is None
    assert merged(person("sign_in"), person("sign_in", "Anna Maria Schmidt")).name == (
        "Anna Maria Schmidt"
    )


def test_a_sign_in_keeps_the_team_and_manager_it_does_not_know():
    before = person("demo", team="Retention", manager="markus.schneider@example.com")
    after = merged(before, person("sign_in", "Anna S."))
    assert (after.name, after.team, after.manager) == (
        "Anna S.",
        "Retention",
        "markus.schneider@example.com",
    )


def test_an_upload_replaces_team_and_manager_even_with_blanks():
    before = person("upload", team="Retention", manager="markus.schneider@example.com")
    after = merged(before, person("upload"))
    assert (after.team, after.manager) == ("", "")


# --- lookups ------------------------------------------------------------------------------------


def test_names_by_e_mail_without_case_and_unknown_ones_as_themselves():
    directory = Directory([person("upload")])
    assert directory.name_of("Anna.Schmidt@Example.com") == "Anna Schmidt"
    assert directory.name_of("nobody@example.com") == "nobody@example.com"
    assert directory.name_of("") == ""
    assert len(directory) == 1


def test_an_mlflow_user_name_resolves_to_the_one_address_it_starts():
    directory = Directory(
        [
            person("upload"),
            Person("jo@bank.example", "Jo One", "upload"),
            Person("jo@other.example", "Jo Two", "upload"),
        ]
    )
    assert directory.name_of("anna.schmidt") == "Anna Schmidt"
    assert directory.email_of("anna.schmidt") == ANNA
    # Two people could be meant: the user name stays as MLflow has it.
    assert directory.name_of("jo") == "jo"
    assert directory.email_of("jo") == ""
    assert directory.name_of("anna.schmidt@elsewhere.example") == "anna.schmidt@elsewhere.example"


def test_what_counts_as_an_e_mail_address():
    assert is_email("anna.schmidt@example.com")
    assert is_email("o'brien+portal@mail.example.co.uk")
    assert not is_email("anna.schmidt")
    assert not is_email("anna@example")
    assert not is_email("anna schmidt@example.com")
    assert not is_email("a@b@example.com")
    assert not is_email("<anna@example.com>")


# --- the CSV ------------------------------------------------------------------------------------


def test_a_comma_file_with_optional_columns_is_read():
    checked = read_people_csv(
        b"email,name,team,manager\n"
        b"Anna.Schmidt@Example.com, Anna Schmidt ,Retention,Markus.Schneider@example.com\n"
        b"\n"
        b"carla.rossi@example.com,Carla Rossi,,\n"
    )
    assert checked.accepted and checked.rows == 2
    assert checked.people == (
        Person(ANNA, "Anna Schmidt", "upload", "Retention", "markus.schneider@example.com"),
        Person("carla.rossi@example.com", "Carla Rossi", "upload"),
    )


def test_semicolons_a_bom_and_a_german_spreadsheet_header_are_read():
    data = "\ufeffE-Mail;Name\r\nanna.schmidt@example.com;Anna Schmidt\r\n".encode()
    checked = read_people_csv(data)
    assert checked.accepted
    assert checked.people == (Person(ANNA, "Anna Schmidt", "upload"),)


def test_a_name_with_a_comma_in_quotes_and_non_ascii_letters():
    checked = read_people_csv('email,name\njonas.mueller@example.com,"Müller, Jonas"\n'.encode())
    assert checked.people[0].name == "Müller, Jonas"


def test_every_bad_row_is_named_with_its_line_and_nothing_is_accepted():
    checked = read_people_csv(
        b"email,name,team,manager\n"
        b"anna.schmidt@example.com,Anna Schmidt,,\n"  # line 2: fine
        b"not-an-address,Somebody,,\n"  # line 3
        b"carla.rossi@example.com,,,\n"  # line 4
        b"ANNA.SCHMIDT@example.com,Anna Again,,\n"  # line 5
        b",Nobody,,\n"  # line 6
        b"ben@example.com,Ben,,boss\n"  # line 7
        b"eve@example.com,Eve,,eve@example.com\n"  # line 8
    )
    assert not checked.accepted and checked.people == ()
    assert checked.rows == 7
    assert checked.rejects == (
        PeopleReject(3, "bad_email", "not-an-address", "email"),
        PeopleReject(4, "missing_name", "", "name"),
        PeopleReject(5, "duplicate_email", ANNA, "email"),
        PeopleReject(6, "missing_email", "", "email"),
        PeopleReject(7, "bad_manager", "boss", "manager"),
        PeopleReject(8, "own_manager", "eve@example.com", "manager"),
    )


def test_line_numbers_count_lines_a_quoted_cell_spans():
    checked = read_people_csv(b'email,name,team\na@example.com,A,"two\nlines"\nbad,B,\n')
    assert checked.rejects == (PeopleReject(4, "bad_email", "bad", "email"),)


def test_a_header_without_the_required_columns_or_with_unknown_ones():
    checked = read_people_csv(b"mail address,full name\nanna@example.com,Anna\n")
    assert [r.code for r in checked.rejects] == [
        "unknown_column",
        "unknown_column",
        "missing_column",
        "missing_column",
    ]
    assert {r.value for r in checked.rejects if r.code == "missing_column"} == {"email", "name"}


def test_files_that_are_empty_not_utf8_or_without_rows():
    assert read_people_csv(b"").rejects == (PeopleReject(0, "empty_file"),)
    assert read_people_csv(b"  \n\n").rejects == (PeopleReject(0, "empty_file"),)
    assert read_people_csv("email,name\nä@x.de,Jörg\n".encode("latin-1")).rejects == (
        PeopleReject(0, "not_utf8"),
    )
    assert read_people_csv(b"email,name\n\n").rejects == (PeopleReject(0, "no_rows"),)


def test_extra_cells_and_unnamed_columns():
    assert read_people_csv(b"email,name\na@example.com,A,extra\n").rejects == (
        PeopleReject(2, "too_many_cells", "extra"),
    )
    # A trailing delimiter is common in exported files: an empty unnamed column is fine.
    assert read_people_csv(b"email;name;\na@example.com;A;\n").accepted
    assert read_people_csv(b"email;name;\na@example.com;A;x\n").rejects == (
        PeopleReject(2, "unnamed_cell", "x"),
    )


def test_an_overlong_name_is_rejected():
    checked = read_people_csv(b"email,name\na@example.com," + b"x" * 201 + b"\n")
    assert [(r.line, r.code, r.column) for r in checked.rejects] == [(2, "too_long", "name")]
