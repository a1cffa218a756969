#!/usr/bin/env python3
"""The Python side of Benchmarks/GatewayBenchmarks: N PaymentIntent create+confirm calls with the
official stripe SDK against the same server (the Stripe simulator) the Swift client uses. Prints the total
microseconds of the N calls (the SDK's set-up and the test card are outside the timing).

Usage: stripe-python-bench.py BASE_URL N
"""
import sys, time, stripe
url = sys.argv[1]; n = int(sys.argv[2])
client = stripe.StripeClient("sk_test_bench", base_addresses={"api": url}, max_network_retries=0)
pm = client.v1.payment_methods.create(params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2031, "cvc": "123"}})
start = time.perf_counter()
for i in range(n):
    client.v1.payment_intents.create(params={"amount": 1000 + i, "currency": "usd", "payment_method": pm.id, "confirm": True}, options={"idempotency_key": f"py-{i}"})
print(f"{(time.perf_counter() - start) * 1e6:.0f}")
