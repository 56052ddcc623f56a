
urlpatterns: list = [
    # quality dashboard, weekly list and visibility report are added here by their issues
]
