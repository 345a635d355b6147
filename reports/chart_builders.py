"""From the statistics selectors to the charts of the statistics page (one function per chart)."""

import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.enums import Urgency
from reports import statistics
from reports.charts import Chart, Series, bar_chart, hbar_chart, line_chart

SATURATION_WEEKS = 12
SATURATION_PREFECTURES = 6  # small multiples: the prefectures with the most attempts
HISTORY_DAYS = 84


def _weeks(today: datetime.date, weeks: int) -> list[datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _percent(part: int, total: int) -> str:
    return f"{round(100 * part / total)} %" if total else ""


def saturation_charts(user, *, now=None) -> list[Chart]:
    """One stacked-bar chart per prefecture: attempts per week, "no slot" answers at the bottom."""
    today = timezone.localdate(now or timezone.now())
    weeks = _weeks(today, SATURATION_WEEKS)
    per_prefecture = defaultdict(dict)
    names = {}
    for row in statistics.weekly_attempts(user, weeks=SATURATION_WEEKS, now=now):
        week = timezone.localdate(row["week"]) if isinstance(row["week"], datetime.datetime) else row["week"]
        per_prefecture[row["case__prefecture_id"]][week] = (row["total"], row["no_slot"])
        names[row["case__prefecture_id"]] = row["case__prefecture__name"]
    busiest = sorted(per_prefecture, key=lambda p: (-sum(t for t, _n in per_prefecture[p].values()), names[p]))
    charts = []
    for prefecture_id in busiest[:SATURATION_PREFECTURES]:
        counts = [per_prefecture[prefecture_id].get(w, (0, 0)) for w in weeks]
        total = sum(t for t, _n in counts)
        no_slot = sum(n for _t, n in counts)
        charts.append(
            bar_chart(
                chart_id=f"saturation-{prefecture_id}",
                title=_("%(prefecture)s : tentatives par semaine") % {"prefecture": names[prefecture_id]},
                description=_(
                    "%(total)s tentatives sur %(weeks)s semaines, dont %(share)s sans aucun créneau disponible."
                )
                % {"total": total, "weeks": SATURATION_WEEKS, "share": _percent(no_slot, total) or "0 %"},
                categories=[w.strftime("%d/%m") for w in weeks],
                series=[
                    Series(_("Aucun créneau"), [n for _t, n in counts]),
                    Series(_("Autres résultats"), [t - n for t, n in counts]),
                ],
                stacked=True,
                y_label=_("tentatives"),
                bar_labels=[_percent(n, t) for t, n in counts],
                category_header=_("Semaine du"),
                bar_label_header=_("Part « aucun créneau »"),
            )
        )
    return charts


def median_wait_chart(user) -> Chart:
    rows = statistics.median_days_to_appointment(user)
    return hbar_chart(
        chart_id="median-wait",
        title=_("Délai médian jusqu'au rendez-vous, par préfecture"),
        description=_(
            "Jours entre la première tentative infructueuse et le rendez-vous obtenu (médiane des dossiers)."
        ),
        labels=[f"{r['prefecture']} ({r['cases']})" for r in rows],
        values=[r["median_days"] for r in rows],
        unit=_("jours"),
        label_header=_("Préfecture (nombre de dossiers)"),
    )


def urgency_history_chart(user, *, now=None) -> Chart:
    rows = statistics.urgency_history(user, days=HISTORY_DAYS, now=now)
    levels = [("expired", Urgency.EXPIRED), ("d7", Urgency.D7), ("d30", Urgency.D30), ("d60", Urgency.D60)]
    return line_chart(
        chart_id="urgency-history",
        title=_("Dossiers ouverts par urgence au fil du temps"),
        description=_("Relevé quotidien des dossiers ouverts par échéance ; le dernier point est celui du jour."),
        x_labels=[r["day"].strftime("%d/%m") for r in rows],
        series=[Series(str(level.label), [r[key] or 0 for r in rows]) for key, level in levels],
        y_label=_("dossiers"),
        x_header=_("Jour"),
    )


REFERE_MONTHS = 12


def refere_chart(user, *, now=None) -> Chart:
    """Référés filed per month and, among them, those granted (grouped bars, share above)."""
    today = timezone.localdate(now or timezone.now())
    months = [statistics.first_of_month(today, REFERE_MONTHS - 1 - i) for i in range(REFERE_MONTHS)]
    by_month = {}
    for row in statistics.monthly_referes(user, months=REFERE_MONTHS, now=now):
        month = row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        by_month[month] = (row["filed"], row["granted"])
    counts = [by_month.get(m, (0, 0)) for m in months]
    filed = sum(f for f, _g in counts)
    granted = sum(g for _f, g in counts)
    return bar_chart(
        chart_id="referes",
        title=_("Référés déposés et obtenus par mois"),
        description=_(
            "%(filed)s référés déposés sur %(months)s mois, dont %(granted)s avec une ordonnance favorable "
            "(totale ou partielle), comptés au mois du dépôt."
        )
        % {"filed": filed, "months": REFERE_MONTHS, "granted": granted},
        categories=[m.strftime("%m/%Y") for m in months],
        series=[
            Series(_("Déposés"), [f for f, _g in counts]),
            Series(_("Ordonnance favorable"), [g for _f, g in counts]),
        ],
        y_label=_("référés"),
        bar_labels=[_percent(g, f) for f, g in counts],
        category_header=_("Mois de dépôt"),
        bar_label_header=_("Part obtenue"),
    )


def all_charts(user) -> dict:
    return {
        "referes": refere_chart(user),
        "saturation": saturation_charts(user),
        "median_wait": median_wait_chart(user),
        "urgency_history": urgency_history_chart(user),
    }
