"""Exercise 13 (permissions): realistic wrong solutions and valid alternatives."""

from mistakes import Valid, Wrong

WRONG = [
    Wrong("revoke-reports-only-a-missing-label", "revoke", '''\
def revoke(sqs, queue_url, label):
    try:
        sqs.remove_permission(QueueUrl=queue_url, Label=label)
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code == "InvalidParameterValue":  # the label is not there
            return code
        raise
    return None
''', "test_revoke_returns_the_code_of_any_refusal", "raised ClientError", "errors"),
    Wrong("revoke-returns-the-message", "revoke", '''\
def revoke(sqs, queue_url, label):
    try:
        sqs.remove_permission(QueueUrl=queue_url, Label=label)
    except ClientError as error:
        return error.response["Error"]["Message"]
    return None
''', "test_revoke_returns_the_code_of_any_refusal", "return its error code", "errors"),
    Wrong("labels-assume-a-statement-list", "permission_labels", '''\
def permission_labels(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"]).get("Attributes", {})
    if "Policy" not in attributes:
        return []
    labels = []
    for statement in json.loads(attributes["Policy"])["Statement"]:
        labels.append(statement["Sid"])
    return sorted(labels)
''', "test_permission_labels_reads_any_valid_policy", "raised TypeError", "edge"),
    Wrong("labels-attributes-always-there", "permission_labels", '''\
def permission_labels(sqs, queue_url):
    policy = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])["Attributes"].get("Policy")
    if not policy:
        return []
    statements = json.loads(policy)["Statement"]
    statements = [statements] if isinstance(statements, dict) else statements
    return sorted(s["Sid"] for s in statements if "Sid" in s)
''', "test_permission_labels_without_a_policy_is_empty", "raised KeyError", "kinder"),
    Wrong("labels-in-policy-order", "permission_labels", '''\
def permission_labels(sqs, queue_url):
    policy = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"]).get("Attributes", {}).get("Policy")
    if not policy:
        return []
    statements = json.loads(policy)["Statement"]
    statements = [statements] if isinstance(statements, dict) else statements
    return [s["Sid"] for s in statements if "Sid" in s]  # AddPermission appends, so this is oldest first
''', "test_permission_labels_reads_any_valid_policy", "should return every Sid, sorted", "contract"),
    Wrong("labels-sidless-as-empty", "permission_labels", '''\
def permission_labels(sqs, queue_url):
    policy = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"]).get("Attributes", {}).get("Policy")
    if not policy:
        return []
    statements = json.loads(policy)["Statement"]
    statements = [statements] if isinstance(statements, dict) else statements
    return sorted(s.get("Sid", "") for s in statements)
''', "test_permission_labels_reads_any_valid_policy", "a statement without a Sid has no label", "edge"),
    Wrong("grant-one-label-per-action", "grant", '''\
def grant(sqs, queue_url, label, account_id, actions):
    for action in actions:
        sqs.add_permission(QueueUrl=queue_url, Label=f"{label}-{action}", AWSAccountIds=[account_id],
                           Actions=[action])
''', "test_grant_and_revoke_reach_sqs_with_the_label_account_and_actions", "grant should call AddPermission once",
          "contract"),
]

VALID = [
    Valid("revoke-modelled-client-error", "revoke", '''\
def revoke(sqs, queue_url, label):
    try:
        sqs.remove_permission(QueueUrl=queue_url, Label=label)
        return None
    except sqs.exceptions.ClientError as error:
        return error.response.get("Error", {}).get("Code")
''', "catches the client's own ClientError class, returns inside the try"),
    Valid("labels-all-attributes", "permission_labels", '''\
def permission_labels(sqs, queue_url):
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"]).get("Attributes") or {}
    document = json.loads(attributes.get("Policy") or "{}")
    found = document.get("Statement") or []
    if not isinstance(found, list):
        found = [found]
    return sorted({s["Sid"] for s in found if isinstance(s, dict) and s.get("Sid")})
''', "asks for All attributes, tolerates an empty or absent Policy, a set of Sids sorted"),
]
