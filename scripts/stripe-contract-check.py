#!/usr/bin/env python3
"""Check recorded Stripe requests against the parameter types of the `stripe` package (16.x).

Input: JSON lines {"method": "POST", "path": "/v1/payment_intents", "params": [[key, value], ...]}
with Stripe's bracketed form keys. Each request's endpoint is mapped to the SDK's generated
TypedDict for it (stripe/params/..., "generated from our OpenAPI spec"); the keys are unflattened
and walked against the type: unknown parameters, missing required ones, non-integers where an
integer belongs, wrong nesting and values outside a closed Literal are reported. Exit 1 on any.

Usage: stripe-contract-check.py FILE.jsonl
"""
import importlib
import json
import re
import sys
import types
import typing

import stripe
from stripe._stripe_context import StripeContext

if not stripe.VERSION.startswith("16."):
    sys.exit(f"stripe 16.x expected, found {stripe.VERSION}")

ID = r"[^/]+"
ENDPOINTS = [
    ("POST", r"/v1/payment_intents", "_payment_intent_create_params", "PaymentIntentCreateParams"),
    ("GET", r"/v1/payment_intents", "_payment_intent_list_params", "PaymentIntentListParams"),
    ("GET", rf"/v1/payment_intents/{ID}", "_payment_intent_retrieve_params", "PaymentIntentRetrieveParams"),
    ("POST", rf"/v1/payment_intents/{ID}/confirm", "_payment_intent_confirm_params", "PaymentIntentConfirmParams"),
    ("POST", rf"/v1/payment_intents/{ID}/cancel", "_payment_intent_cancel_params", "PaymentIntentCancelParams"),
    ("POST", r"/v1/refunds", "_refund_create_params", "RefundCreateParams"),
    ("GET", r"/v1/refunds", "_refund_list_params", "RefundListParams"),
    ("POST", r"/v1/customers", "_customer_create_params", "CustomerCreateParams"),
    ("POST", r"/v1/setup_intents", "_setup_intent_create_params", "SetupIntentCreateParams"),
    ("POST", rf"/v1/setup_intents/{ID}/confirm", "_setup_intent_confirm_params", "SetupIntentConfirmParams"),
    ("GET", r"/v1/payment_methods", "_payment_method_list_params", "PaymentMethodListParams"),
    ("GET", rf"/v1/payment_methods/{ID}", "_payment_method_retrieve_params", "PaymentMethodRetrieveParams"),
    ("POST", rf"/v1/payment_methods/{ID}/attach", "_payment_method_attach_params", "PaymentMethodAttachParams"),
    ("POST", rf"/v1/payment_methods/{ID}/detach", "_payment_method_detach_params", "PaymentMethodDetachParams"),
    ("GET", rf"/v1/mandates/{ID}", "_mandate_retrieve_params", "MandateRetrieveParams"),
    ("POST", r"/v1/payment_links", "_payment_link_create_params", "PaymentLinkCreateParams"),
    ("POST", rf"/v1/payment_links/{ID}", "_payment_link_update_params", "PaymentLinkUpdateParams"),
    ("GET", r"/v1/checkout/sessions", "checkout._session_list_params", "SessionListParams"),
]

# Parameters the SDK types cannot describe, with the reason. Keep this short.
ALLOWLIST = {}


def params_type(method, path):
    for m, pattern, module, name in ENDPOINTS:
        if m == method and re.fullmatch(pattern, path):
            mod = importlib.import_module(f"stripe.params.{module}")
            return getattr(mod, name), mod
    return None, None


def namespace(module):
    names = dict(vars(typing))
    names.update(vars(module))
    names["StripeContext"] = StripeContext
    return names


def resolve(annotation, module):
    if isinstance(annotation, str):
        return eval(annotation, namespace(module))
    if isinstance(annotation, typing.ForwardRef):
        return eval(annotation.__forward_arg__, namespace(module))
    return annotation


def hints(cls, mod):
    """The parameters a TypedDict declares, without the SDK's request options (api_key…)."""
    fields = {}
    for klass in reversed(cls.__mro__):
        if klass.__name__ in ("RequestOptions", "dict", "object", "Generic"):
            continue
        module = sys.modules[klass.__module__]
        for name, annotation in klass.__dict__.get("__annotations__", {}).items():
            fields[name] = resolve(annotation, module)
    return fields


def unflatten(pairs):
    root = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        rest = re.findall(r"\[([^\]]*)\]", key[len(head):])
        path = [head] + rest
        node = root
        for i, part in enumerate(path):
            last = i == len(path) - 1
            nxt = None if last else path[i + 1]
            container_for_next = [] if (nxt == "" or (nxt is not None and nxt.isdigit())) else {}
            if isinstance(node, list):
                if part == "":
                    if last:
                        node.append(value)
                    else:
                        node.append(container_for_next)
                        node = node[-1]
                    continue
                index = int(part)
                while len(node) <= index:
                    node.append(None)
                if last:
                    node[index] = value
                else:
                    if node[index] is None:
                        node[index] = container_for_next
                    node = node[index]
                continue
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, container_for_next)
    return root


def check(value, annotation, where, mod, errors):
    annotation = resolve(annotation, mod)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is not None and getattr(origin, "_name", str(origin)).split(".")[-1] in ("NotRequired", "Required"):
        check(value, args[0], where, mod, errors)
        return
    if str(origin).endswith(("NotRequired", "Required")):
        check(value, args[0], where, mod, errors)
        return
    if origin is typing.Union or origin is types.UnionType:
        trials = []
        for option in args:
            attempt = []
            check(value, option, where, mod, attempt)
            if not attempt:
                return
            trials.append(attempt)
        errors.append(f"{where}: {value!r} matches none of {annotation}")
        return
    if origin is typing.Literal or str(origin).endswith("Literal"):
        if value not in args:
            errors.append(f"{where}: {value!r} is not one of {args}")
        return
    if annotation is str:
        if not isinstance(value, str):
            errors.append(f"{where}: expected text")
        return
    if annotation is int:
        if not (isinstance(value, str) and re.fullmatch(r"-?\d+", value)):
            errors.append(f"{where}: {value!r} is not an integer")
        return
    if annotation is bool:
        if value not in ("true", "false"):
            errors.append(f"{where}: {value!r} is not true or false")
        return
    if annotation is float:
        if not (isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value)):
            errors.append(f"{where}: {value!r} is not a number")
        return
    if origin in (list, typing.List):
        if not isinstance(value, list):
            errors.append(f"{where}: expected a list")
            return
        for i, item in enumerate(value):
            check(item, args[0], f"{where}[{i}]", mod, errors)
        return
    if origin in (dict, typing.Dict):
        if not isinstance(value, dict):
            errors.append(f"{where}: expected an object")
            return
        for key, item in value.items():
            check(item, args[1], f"{where}[{key}]", mod, errors)
        return
    if isinstance(annotation, type) and issubclass(annotation, dict) and hasattr(annotation, "__annotations__"):
        check_typed_dict(value, annotation, where, mod, errors)
        return
    errors.append(f"{where}: cannot check against {annotation}")


def check_typed_dict(value, cls, where, mod, errors):
    if not isinstance(value, dict):
        errors.append(f"{where}: expected an object")
        return
    module = sys.modules[cls.__module__]
    fields = hints(cls, module)
    for key, item in value.items():
        name = f"{where}[{key}]" if where else key
        if key not in fields:
            if name not in ALLOWLIST:
                errors.append(f"{name}: unknown parameter")
            continue
        check(item, fields[key], name, module, errors)
    for key in getattr(cls, "__required_keys__", ()):
        if key not in value and key in fields:
            errors.append(f"{where}[{key}]: required parameter missing" if where else f"{key}: required parameter missing")


def main():
    failures = 0
    checked = 0
    with open(sys.argv[1]) as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            request = json.loads(line)
            cls, mod = params_type(request["method"], request["path"])
            label = f"{request['method']} {request['path']}"
            if cls is None:
                print(f"line {number}: {label}: no such endpoint in the stripe package's parameter types")
                failures += 1
                continue
            errors = []
            check_typed_dict(unflatten(request["params"]), cls, "", mod, errors)
            checked += 1
            for error in errors:
                print(f"line {number}: {label}: {error}")
            failures += bool(errors)
    print(f"checked {checked} requests against stripe {stripe.VERSION}: {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
