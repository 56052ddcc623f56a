from django.urls import path

from . import views

urlpatterns = [
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("workshops/", views.workshop_list, name="workshops"),
    path("vacancies/<key:vacancy_id>/", views.vacancy_detail, name="vacancy_detail"),
    path(
        "vacancies/<key:vacancy_id>/refer/confirm/",
        views.refer_confirm,
        name="vacancy_refer_confirm",
    ),
    path("vacancies/<key:vacancy_id>/refer/", views.refer, name="vacancy_refer"),
    path("vacancies/<key:vacancy_id>/send/", views.send, name="vacancy_send"),
    path(
        "vacancies/<key:vacancy_id>/flags/<int:flag_id>/decide/",
        views.decide,
        name="vacancy_flag_decide",
    ),
    path("vacancies/<key:vacancy_id>/enrol/", views.enrol, name="vacancy_enrol"),
    path(
        "vacancies/<key:vacancy_id>/referrals/<key:referral_id>/outcome/",
        views.record_outcome,
        name="vacancy_referral_outcome",
    ),
    path(
        "clients/<key:client_number>/availability/",
        views.record_availability,
        name="client_availability",
    ),
]
