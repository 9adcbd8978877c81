from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("out_trade_no", models.CharField(max_length=32, unique=True)),
                ("product", models.CharField(max_length=32)),
                ("total_fee", models.PositiveIntegerField(help_text="fen")),
                ("openid", models.CharField(max_length=128)),
                ("status", models.CharField(choices=[("NOTPAY", "Not paid"), ("PAID", "Paid")], default="NOTPAY", max_length=8)),
                ("prepay_id", models.CharField(blank=True, max_length=64)),
                ("transaction_id", models.CharField(blank=True, max_length=32)),
                ("paid_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.CreateModel(
            name="PaymentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("transaction_id", models.CharField(max_length=32)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("order", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, to="orders.order")),
            ],
        ),
    ]
