"""Orders, priced on the server: the browser never says how much to pay."""

from django.db import models

# The catalogue: product slug → (name, price in fen).
PRODUCTS = {
    "book": ("wxpay 实战", 990),
    "mug": ("Mug", 2500),
}


class Order(models.Model):
    NOTPAY = "NOTPAY"
    PAID = "PAID"
    STATUSES = [(NOTPAY, "Not paid"), (PAID, "Paid")]

    out_trade_no = models.CharField(max_length=32, unique=True)
    product = models.CharField(max_length=32)
    total_fee = models.PositiveIntegerField(help_text="fen")
    openid = models.CharField(max_length=128)
    status = models.CharField(max_length=8, choices=STATUSES, default=NOTPAY)
    prepay_id = models.CharField(max_length=64, blank=True)
    transaction_id = models.CharField(max_length=32, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class PaymentEvent(models.Model):
    """One row per order that became paid: the fulfilment trigger. A
    duplicate notification must never add a second row."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE)
    transaction_id = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
