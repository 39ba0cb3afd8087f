"""Exercise 02 (queue lifecycle): realistic wrong solutions and valid alternatives."""

from __future__ import annotations

from mistakes import Valid, Wrong

WRONG = [
    Wrong("create-skips-falsy-values", "create_queue", '''\
def create_queue(sqs, name, attributes=None):
    as_text = {}
    for key, value in (attributes or {}).items():
        if not value:
            continue  # nothing to set
        as_text[key] = "true" if value is True else str(value)
    return sqs.create_queue(QueueName=name, Attributes=as_text)["QueueUrl"]
''', "test_create_queue_sends_zero_and_strings_as_they_are", "0 is a valid value", "edge"),
    Wrong("create-lowercases-every-value", "create_queue", '''\
def create_queue(sqs, name, attributes=None):
    as_text = {key: str(value).lower() for key, value in (attributes or {}).items()}
    return sqs.create_queue(QueueName=name, Attributes=as_text)["QueueUrl"]
''', "test_create_queue_sends_zero_and_strings_as_they_are", "CreateQueue", "edge"),
    Wrong("create-json-dumps-every-value", "create_queue", '''\
import json


def create_queue(sqs, name, attributes=None):
    as_text = {key: json.dumps(value) for key, value in (attributes or {}).items()}
    return sqs.create_queue(QueueName=name, Attributes=as_text)["QueueUrl"]
''', "test_create_queue_sends_zero_and_strings_as_they_are", "raised", "edge"),
    Wrong("find-swallows-every-client-error", "find_queue_url", '''\
from botocore.exceptions import ClientError


def find_queue_url(sqs, name):
    try:
        return sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError:
        return None
''', "test_find_queue_url_lets_any_other_error_reach_the_caller", "must reach the caller", "errors"),
    Wrong("find-by-listing-the-prefix", "find_queue_url", '''\
def find_queue_url(sqs, name):
    urls = sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])
    return urls[0] if urls else None
''', "test_find_queue_url_matches_the_whole_name", "exactly", "edge"),
    Wrong("delete-queue-swallows-errors", "delete_queue", '''\
def delete_queue(sqs, name):
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        sqs.delete_queue(QueueUrl=url)
        return True
    except Exception:
        return False
''', "test_delete_queue_lets_any_other_error_reach_the_caller", "must reach the caller", "errors"),
    Wrong("delete-everything-with-the-prefix", "delete_queue", '''\
def delete_queue(sqs, name):
    urls = sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])
    for url in urls:
        sqs.delete_queue(QueueUrl=url)
    return bool(urls)
''', "test_delete_queue_deletes_only_the_queue_with_exactly_that_name", "orders-archive stays", "edge"),
    Wrong("list-in-the-order-sqs-gave", "list_queue_names", '''\
def list_queue_names(sqs, prefix, page_size=MAX_LIST_PAGE):
    names = []
    params = {"QueueNamePrefix": prefix, "MaxResults": page_size}
    while True:
        page = sqs.list_queues(**params)
        names += [url.rsplit("/", 1)[-1] for url in page.get("QueueUrls", [])]
        if "NextToken" not in page:
            return names
        params["NextToken"] = page["NextToken"]
''', "test_list_queue_names_matches_names_that_start_with_the_prefix", "sorted", "kinder"),
    Wrong("list-max-results-on-first-page-only", "list_queue_names", '''\
def list_queue_names(sqs, prefix, page_size=MAX_LIST_PAGE):
    page = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=page_size)
    urls = page.get("QueueUrls", [])
    while page.get("NextToken"):
        page = sqs.list_queues(QueueNamePrefix=prefix, NextToken=page["NextToken"])
        urls += page.get("QueueUrls", [])
    return sorted(url.rsplit("/", 1)[-1] for url in urls)
''', "test_list_queue_names_pages_through_every_queue", "follow NextToken", "kinder"),
    Wrong("list-keeps-a-module-level-list", "list_queue_names", '''\
_names = []


def list_queue_names(sqs, prefix, page_size=MAX_LIST_PAGE):
    params = {"QueueNamePrefix": prefix, "MaxResults": page_size}
    while True:
        page = sqs.list_queues(**params)
        _names.extend(url.rsplit("/", 1)[-1] for url in page.get("QueueUrls", []))
        if not page.get("NextToken"):
            return sorted(_names)
        params["NextToken"] = page["NextToken"]
''', "test_list_queue_names_matches_names_that_start_with_the_prefix", "nothing kept", "contract"),
    # Caught by a hidden test (tests/hidden/test_02_queues_hidden.py), as the visible paging test catches it too.
    Wrong("list-names-of-the-first-page-only", "list_queue_names", '''\
def list_queue_names(sqs, prefix, page_size=MAX_LIST_PAGE):
    urls = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=page_size).get("QueueUrls", [])
    return sorted(url.rsplit("/", 1)[-1] for url in urls)
''', "test_list_queue_names_one_per_page_gives_every_name", "NextToken", "edge"),
]

VALID = [
    Valid("list-with-the-paginator", "list_queue_names", '''\
def list_queue_names(sqs, prefix, page_size=MAX_LIST_PAGE):
    pages = sqs.get_paginator("list_queues").paginate(QueueNamePrefix=prefix,
                                                      PaginationConfig={"PageSize": page_size})
    return sorted(url.split("/")[-1] for page in pages for url in page.get("QueueUrls", []))
''', "boto3's paginator sends MaxResults=PageSize and follows NextToken itself"),
    Valid("find-checks-the-error-code", "find_queue_url", '''\
from botocore.exceptions import ClientError


def find_queue_url(sqs, name):
    try:
        response = sqs.get_queue_url(QueueName=name)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"):
            return None
        raise
    return response["QueueUrl"]
''', "the two codes SQS uses for a missing queue (JSON and query protocol); every other error re-raised"),
    Valid("delete-without-the-helper", "delete_queue", '''\
def delete_queue(sqs, name):
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return False
    sqs.delete_queue(QueueUrl=url)
    return True
''', "the same calls without going through find_queue_url"),
    Valid("create-with-a-comprehension", "create_queue", '''\
def _as_attribute(value):
    if value is True or value is False:
        return str(value).lower()
    return value if isinstance(value, str) else str(value)


def create_queue(sqs, name, attributes=None):
    if not attributes:
        return sqs.create_queue(QueueName=name)["QueueUrl"]
    return sqs.create_queue(QueueName=name,
                            Attributes={k: _as_attribute(v) for k, v in attributes.items()})["QueueUrl"]
''', "leaving Attributes out entirely is how SQS gets no attributes too"),
]
