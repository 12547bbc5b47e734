"""URLs of the documents and minutes (procès-verbal) of a séance."""

urlpatterns = []
