"""URLs of the live page of a séance and of the QR check-in."""

urlpatterns = []
