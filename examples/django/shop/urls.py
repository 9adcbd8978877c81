from django.urls import path

from orders import views

urlpatterns = [
    path("", views.index, name="index"),
    path("checkout/<slug:product>/", views.checkout, name="checkout"),
    path("oauth/callback/", views.oauth_callback, name="oauth_callback"),
    path("wxpay/notify/", views.notify, name="notify"),
    path("wxpay/v3/notify/", views.notify_v3, name="notify_v3"),
    path("health/", views.health, name="health"),
    path("orders/<str:out_trade_no>/status/", views.status, name="status"),
]
