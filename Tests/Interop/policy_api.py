"""postern-policy's RPCs from the independent Python client: one method per call, each
returning the parsed answer, or raising Refused with the status when the call is refused."""
import json

from wire_client import WireClient

OK = 0


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class PolicyAPI:
    """Calls over one connection; use as a context manager."""

    def __init__(self, socket_path, pb):
        self.pb = pb
        self.client = WireClient(socket_path, pb)
        self.call_id = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.client.close()

    def call(self, service, method, request, response_class):
        self.call_id += 1
        self.client.send(self.call_id, f"/postern.policy.v1.{service}/{method}", request.SerializeToString())
        answer = self.client.read()
        assert answer is not None and answer.call_id == self.call_id
        if answer.status_code != OK:
            raise Refused(answer.status_code, answer.status_message)
        message = response_class()
        message.ParseFromString(answer.payload)
        return message

    # Configuration ---------------------------------------------------------------------------

    def dummy(self, name, result, wait_min=0, wait_max=0, execution_logging=False):
        p = self.pb.policies
        return self.call("Policies", "Create", p.CreatePolicyRequest(policy=p.Policy(
            name=name, type=p.POLICY_TYPE_DUMMY, execution_logging=execution_logging,
            dummy=p.DummySettings(result=result, wait_min=wait_min, wait_max=wait_max))), p.Policy)

    def flow(self, slug, mode=0, designation=None):
        f = self.pb.flows
        return self.call("Flows", "Create", f.CreateFlowRequest(flow=f.Flow(
            slug=slug, name=slug.title(), designation=designation or f.DESIGNATION_AUTHENTICATION, engine_mode=mode)), f.Flow)

    def stage_binding(self, flow, stage, order, kind=None, evaluate_on_plan=False, re_evaluate=None, mode=0):
        f = self.pb.flows
        binding = f.StageBinding(flow=flow, stage=stage, stage_kind=kind or f.STAGE_KIND_PASSWORD, order=order,
                                 evaluate_on_plan=evaluate_on_plan, engine_mode=mode)
        if re_evaluate is not None:
            binding.re_evaluate_policies.on = re_evaluate
        return self.call("StageBindings", "Create", f.CreateStageBindingRequest(stage_binding=binding), f.StageBinding)

    def target(self, kind, name):
        b = self.pb.bindings
        kinds = {"flow": b.TARGET_KIND_FLOW, "stage_binding": b.TARGET_KIND_STAGE_BINDING,
                 "prompt_stage": b.TARGET_KIND_PROMPT_STAGE}
        return b.Target(kind=kinds[kind], name=name)

    def bind(self, target, order, policy="", user="", group="", enabled=None, negate=False, timeout=0,
             failure_result=False):
        b = self.pb.bindings
        binding = b.Binding(target=target, policy=policy, user=user, group=group, order=order, negate=negate,
                            timeout_seconds=timeout, failure_result=failure_result)
        if enabled is not None:
            binding.enabled.on = enabled
        return self.call("Bindings", "Create", b.CreateBindingRequest(binding=binding), b.Binding)

    # Evaluation ------------------------------------------------------------------------------

    def evaluate(self, target, context=None):
        e = self.pb.evaluation
        return self.call("Engine", "Evaluate", e.EvaluateRequest(
            target=target, context_json=json.dumps(context or {})), e.EvaluateResponse).verdict

    def plan(self, flow, context=None):
        e = self.pb.evaluation
        return self.call("Engine", "Plan", e.PlanRequest(flow=flow, context_json=json.dumps(context or {})),
                         e.PlanResponse)

    def evaluate_stage(self, flow, stage_binding_id, context=None):
        e = self.pb.evaluation
        return self.call("Engine", "EvaluateStage", e.EvaluateStageRequest(
            flow=flow, stage_binding_id=stage_binding_id, context_json=json.dumps(context or {})),
            e.EvaluateStageResponse)


def user(id, groups=(), username=None):
    """A context user."""
    return {"id": id, "username": username or id, "groups": list(groups)}


def validate_prompt(api, stage, prompt_data, context=None):
    """Engine/ValidatePrompt: the parsed response."""
    e = api.pb.evaluation
    return api.call("Engine", "ValidatePrompt", e.ValidatePromptRequest(
        prompt_stage=stage, prompt_data_json=json.dumps(prompt_data), context_json=json.dumps(context or {})),
        e.ValidatePromptResponse)
