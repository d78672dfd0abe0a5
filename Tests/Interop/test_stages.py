"""postern.password.v1.Stages over the wire: stage configurations and their challenge, from
the independent Python client (repeated enums go out packed, as protoc's Python writes them)."""
import pytest

from wire_client import WireClient

OK, INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION = 0, 3, 5, 6, 9
BASE = "/postern.password.v1.Stages/"


def call(client, method, message, call_id=1):
    client.send(call_id, BASE + method, message.SerializeToString())
    answer = client.read()
    assert answer is not None and answer.call_id == call_id
    return answer


def parse(cls, answer):
    assert answer.status_code == OK, answer.status_message
    message = cls()
    message.ParseFromString(answer.payload)
    return message


def test_stage_lifecycle_and_challenge(pb, start_daemon):
    s = pb.stages
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        created = parse(s.PasswordStage, call(client, "Create", s.CreateStageRequest(stage=s.PasswordStage(
            name="default-authentication-password", backends=[s.BACKEND_INTERNAL], allow_show_password=True,
            configuration_flow="default-password-change"))))
        assert list(created.backends) == [s.BACKEND_INTERNAL]
        assert created.failed_attempts_before_cancel == 5, "0 means authentik's default"
        assert call(client, "Create", s.CreateStageRequest(stage=created)).status_code == ALREADY_EXISTS

        challenge = parse(s.PasswordChallenge, call(client, "GetChallenge", s.GetChallengeRequest(
            stage="default-authentication-password", pending_user="Typed Name")))
        assert (challenge.component, challenge.pending_user) == ("ak-stage-password", "Typed Name")
        assert challenge.allow_show_password and challenge.configuration_flow == "default-password-change"

        created.failed_attempts_before_cancel = 3
        created.allow_show_password = False
        updated = parse(s.PasswordStage, call(client, "Update", s.UpdateStageRequest(stage=created)))
        assert (updated.failed_attempts_before_cancel, updated.allow_show_password) == (3, False)
        assert parse(s.PasswordStage, call(client, "Get", s.GetStageRequest(name=created.name))) == updated

        call(client, "Create", s.CreateStageRequest(stage=s.PasswordStage(name="another", backends=[s.BACKEND_INTERNAL])))
        listed = parse(s.ListStagesResponse, call(client, "List", s.ListStagesRequest()))
        assert [x.name for x in listed.stages] == ["another", "default-authentication-password"]
        assert all(list(x.backends) == [s.BACKEND_INTERNAL] for x in listed.stages)

        assert call(client, "Delete", s.DeleteStageRequest(name="another")).status_code == OK
        assert call(client, "Delete", s.DeleteStageRequest(name="another")).status_code == NOT_FOUND
        assert call(client, "GetChallenge", s.GetChallengeRequest(stage="another")).status_code == NOT_FOUND
        assert call(client, "Update", s.UpdateStageRequest(stage=s.PasswordStage(
            name="another", backends=[s.BACKEND_INTERNAL]))).status_code == NOT_FOUND


@pytest.mark.parametrize("backends, code, words", [
    ([], INVALID_ARGUMENT, "backends is empty"),
    ([1, 1], INVALID_ARGUMENT, "twice"),
    ([1, 0], INVALID_ARGUMENT, "BACKEND_UNSPECIFIED"),
    ([1, 9], INVALID_ARGUMENT, "backends[1] is 9, which postern.password.v1.Backend does not list"),
    ([4, 3, 4], INVALID_ARGUMENT, "twice"),
])
def test_a_stage_whose_backends_cannot_work_is_refused_at_configuration_time(pb, start_daemon, backends, code, words):
    s = pb.stages
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        answer = call(client, "Create", s.CreateStageRequest(stage=s.PasswordStage(name="st", backends=backends)))
        assert answer.status_code == code and words in answer.status_message, answer.status_message
        assert call(client, "Get", s.GetStageRequest(name="st")).status_code == NOT_FOUND


def test_other_stage_fields_are_checked(pb, start_daemon):
    s = pb.stages
    daemon = start_daemon("password")
    with WireClient(daemon.socket, pb) as client:
        for stage, words in [
            (s.PasswordStage(name="", backends=[1]), "name is missing"),
            (s.PasswordStage(name="x" * 129, backends=[1]), "longer than 128"),
            (s.PasswordStage(name="st", backends=[1], failed_attempts_before_cancel=101), "at most 100"),
        ]:
            answer = call(client, "Create", s.CreateStageRequest(stage=stage))
            assert answer.status_code == INVALID_ARGUMENT and words in answer.status_message, answer.status_message
        assert call(client, "Create", s.CreateStageRequest()).status_code == INVALID_ARGUMENT, "no stage at all"
