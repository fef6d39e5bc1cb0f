"""The words of the base layout and the public pages, Swedish first, then English."""

from __future__ import annotations

from api.web.i18n import register

register(
    {
        # -- the base layout ----------------------------------------------------------
        "skip_to_content": ("Hoppa till innehållet", "Skip to content"),
        "tagline": (
            "Medborgarlöften – vad som lovades och vad som blev av det",
            "Citizen promises – what was promised and what became of it",
        ),
        "nav_label": ("Huvudmeny", "Main menu"),
        "nav_start": ("Start", "Home"),
        "nav_coverage": ("Täckning i landet", "National coverage"),
        "nav_api": ("API och dokumentation", "API and documentation"),
        "breadcrumbs_label": ("Du är här", "You are here"),
        "json_twin": ("Samma uppgifter som JSON (API)", "The same facts as JSON (API)"),
        "open_data_national": (
            "Öppna data för hela landet (ZIP)",
            "Open data for all of Sweden (ZIP)",
        ),
        "footer_about": (
            "Löftesboken är ett öppet register över medborgarlöften: vad lokalpolisen och kommunen "
            "lovar invånarna, på vilken kunskap löftena vilar och hur de följs upp. Här visas bara "
            "det som är offentligt; anteckningar, utkast och personuppgifter om invånare visas aldrig.",
            "Löftesboken is an open register of citizen promises: what the local police and the "
            "municipality promise residents, what knowledge the promises rest on and how they are "
            "followed up. Only what is public is shown here; notes, drafts and personal data about "
            "residents never are.",
        ),
        # -- shared words -------------------------------------------------------------
        "of": ("av", "of"),
        "county": ("Län", "County"),
        "police_region": ("Polisregion", "Police region"),
        "kommunkod": ("Kommunkod", "Municipality code"),
        "municipality": ("Kommun", "Municipality"),
        "municipalities": ("Kommuner", "Municipalities"),
        "promise": ("Löfte", "Promise"),
        "period": ("Period", "Period"),
        "status": ("Status", "Status"),
        "outcome": ("Utfall", "Outcome"),
        "no_outcome": ("Ännu inte avslutat", "Not concluded yet"),
        "kind": ("Slag", "Kind"),
        "held_on": ("Datum", "Held on"),
        "place": ("Plats", "Place"),
        "participants": ("Deltagare", "Participants"),
        "participants_n": ("{n} deltagare", "{n} took part"),
        "mentions_n": ("{n} omnämnanden", "{n} mentions"),
        "raised_by": ("{n} tog upp detta", "raised by {n}"),
        "raised": ("Togs upp", "Raised"),
        "priority_n": ("prioritet {n}", "priority {n}"),
        "reason": ("Skäl", "Reason"),
        "issued_on": ("Utfärdat", "Issued"),
        "concluded_on": ("Avslutat", "Concluded"),
        "police_district": ("Lokalpolisområde", "Local police district"),
        "activity": ("Aktivitet", "Activity"),
        "responsible": ("Ansvarig", "Responsible"),
        "due_on": ("Klart senast", "Due"),
        "latest_status": ("Senaste status", "Latest status"),
        "feedback_heading": ("Återkoppling till invånarna", "Feedback to residents"),
        "together_with": (" tillsammans med {names}", " together with {names}"),
        "open_data_heading": ("Öppna data", "Open data"),
        "not_found_title": ("Sidan finns inte", "Page not found"),
        "not_found_back": ("Till startsidan", "To the home page"),
        "unknown_municipality": (
            "Det finns ingen kommun med den koden. Sök kommunen på startsidan.",
            "No municipality has that code. Search for it on the home page.",
        ),
        "unknown_promise": (
            "Det finns inget utfärdat medborgarlöfte med den adressen. Utkast visas inte förrän "
            "löftet är utfärdat.",
            "No issued citizen promise has that address. Drafts are not shown until the promise "
            "is issued.",
        ),
        "unknown_dialogue": (
            "Det finns ingen dialog med den adressen.",
            "No dialogue has that address.",
        ),
        "unknown_year": (
            "Det är inte ett år registret omfattar.",
            "That is not a year the register covers.",
        ),
        # -- the start page -----------------------------------------------------------
        "start_title": (
            "Medborgarlöften i Sveriges kommuner",
            "Citizen promises in Sweden's municipalities",
        ),
        "start_description": (
            "Vad polisen och kommunerna har lovat invånarna, och vad som blev av det. I år har "
            "{covered} av {total} kommuner ett medborgarlöfte.",
            "What the police and the municipalities promised residents, and what became of it. "
            "This year {covered} of {total} municipalities have a citizen promise.",
        ),
        "start_heading": (
            "Medborgarlöften i Sveriges kommuner",
            "Citizen promises in Sweden's municipalities",
        ),
        "start_lead": (
            "Lokalpolisen och kommunen lyssnar på invånarna, kommer överens om vilka problem som "
            "ska lösas och lovar offentligt vad de ska göra. Här ser du vad som lovades där du bor, "
            "vad det byggde på och vad som blev av det ni sa.",
            "The local police and the municipality listen to residents, agree on which problems to "
            "tackle and publicly promise what they will do. Here you can see what was promised where "
            "you live, what it was based on and what became of what people said.",
        ),
        "search_heading": ("Hitta din kommun", "Find your municipality"),
        "search_label": ("Kommunens namn eller kommunkod", "Municipality name or code"),
        "search_hint": (
            "Till exempel Malmö, Kiruna eller 0180.",
            "For example Malmö, Kiruna or 0180.",
        ),
        "search_button": ("Sök", "Search"),
        "search_results_title": ("Sök kommun", "Find a municipality"),
        "search_found": ("{count} kommuner matchar:", "{count} municipalities match:"),
        "search_none": ("Ingen kommun matchar ”{q}”.", "No municipality matches “{q}”."),
        "coverage_heading": ("Medborgarlöften {year}", "Citizen promises in {year}"),
        "covered_label": ("Kommuner med medborgarlöfte", "Municipalities with a promise"),
        "covered_short": ("Med löfte", "With a promise"),
        "share_label": ("Andel", "Share"),
        "by_police_region": ("Per polisregion", "By police region"),
        "by_county": ("Per län", "By county"),
        "coverage_more": (
            "Alla län och kommuner {year}",
            "Every county and municipality in {year}",
        ),
        "latest_feedback_heading": (
            "Senaste återkopplingen till invånare",
            "Latest feedback to residents",
        ),
        "no_feedback_yet": (
            "Ingen återkoppling har publicerats ännu.",
            "No feedback has been published yet.",
        ),
        "all_municipalities_heading": ("Alla kommuner", "All municipalities"),
        "all_municipalities_lead": (
            "Kommuner där ett medborgarlöfte gäller i dag är markerade.",
            "Municipalities where a citizen promise is in force today are marked.",
        ),
        "county_summary": (
            "{total} kommuner, {in_force} med löfte i dag",
            "{total} municipalities, {in_force} with a promise today",
        ),
        "in_force_mark": ("✓ löfte gäller", "✓ promise in force"),
        "open_data_lead": (
            "Allt som visas här finns också som öppna data (CSV med tabellbeskrivningar, licens "
            "CC0 1.0) och i ett öppet API.",
            "Everything shown here is also available as open data (CSV with table schemas, "
            "licence CC0 1.0) and through an open API.",
        ),
        # -- a municipality -------------------------------------------------------------
        "municipality_title": ("Medborgarlöften i {name}", "Citizen promises in {name}"),
        "municipality_heading": ("Medborgarlöften i {name}", "Citizen promises in {name}"),
        "municipality_description": (
            "Vad polisen och {name} har lovat invånarna: {promises} utfärdade löften och "
            "{dialogues} dialoger, med uppföljning och återkoppling.",
            "What the police and {name} promised residents: {promises} issued promises and "
            "{dialogues} dialogues, with follow-up and feedback.",
        ),
        "promises_heading": ("Medborgarlöften", "Citizen promises"),
        "promises_in_force": ("Gäller i dag, {date}", "In force today, {date}"),
        "promises_earlier": ("Tidigare och kommande löften", "Earlier and coming promises"),
        "no_promise_in_force": (
            "Inget medborgarlöfte gäller i {name} i dag.",
            "No citizen promise is in force in {name} today.",
        ),
        "dialogues_heading": (
            "Dialoger med invånare och medarbetare",
            "Dialogues with residents and staff",
        ),
        "dialogues_lead": (
            "De senaste {shown} av {total} dialoger, nyast först.",
            "The latest {shown} of {total} dialogues, newest first.",
        ),
        "no_dialogues": (
            "Inga dialoger har registrerats ännu.",
            "No dialogues have been recorded yet.",
        ),
        "what_became": (
            "Vad blev det av det som sades? ({title})",
            "What became of what was said? ({title})",
        ),
        "follow_ups_heading": ("Uppföljning", "Follow-up"),
        "upcoming_heading": ("Nästa uppföljningar", "Next follow-ups"),
        "no_upcoming": ("Inga uppföljningar är planerade.", "No follow-ups are scheduled."),
        "missed_heading": ("Missade uppföljningar", "Missed follow-ups"),
        "no_missed": ("Ingen uppföljning har missats.", "No follow-up has been missed."),
        "missed_dates": ("missade {dates}", "missed {dates}"),
        "due_date": ("skulle göras {date}", "was due {date}"),
        "final_follow_up": ("slutuppföljning", "final follow-up"),
        "calendar_feed": (
            "Uppföljningarna i din kalender (iCalendar)",
            "The follow-ups in your calendar (iCalendar)",
        ),
        "calendar_hint": (
            "Prenumerera på adressen så uppdateras kalendern själv.",
            "Subscribe to the address and your calendar stays up to date.",
        ),
        "no_feedback_here": (
            "Ingen återkoppling har publicerats här ännu.",
            "No feedback has been published here yet.",
        ),
        "reports_heading": ("Årsredovisningar", "Annual reports"),
        "report_html": ("Årsredovisning {year}", "Annual report {year}"),
        "no_reports": ("Inga årsredovisningar ännu.", "No annual reports yet."),
        "open_data_municipality": (
            "Dialoger, iakttagelser, problem, löften, aktiviteter, underskrifter, uppföljningar och "
            "återkoppling för {name} som CSV-filer med tabellbeskrivningar (Frictionless Data "
            "Package, licens CC0 1.0).",
            "Dialogues, observations, issues, promises, activities, signatures, follow-ups and "
            "feedback of {name} as CSV files with table schemas (Frictionless Data Package, "
            "licence CC0 1.0).",
        ),
        "open_data_download": (
            "Ladda ned öppna data för {name} (ZIP)",
            "Download the open data of {name} (ZIP)",
        ),
        "audit_check_link": (
            "Kontrollera att historiken för {name} inte har skrivits om",
            "Check that the history of {name} was not rewritten",
        ),
        # -- a promise --------------------------------------------------------------------
        "promise_kicker": ("Medborgarlöfte", "Citizen promise"),
        "withdrawn_notice": ("Löftet har återkallats.", "The promise has been withdrawn."),
        "signed_heading": ("Undertecknat av", "Signed by"),
        "party_police": ("för polisen", "for the police"),
        "party_municipality": ("för", "for"),
        "party_partner": ("för en samverkanspart", "for a partner"),
        "signed_on": ("undertecknat {date}", "signed {date}"),
        "activities_heading": ("Vad som ska göras", "What will be done"),
        "reported_on": ("enligt uppföljningen {date}", "as followed up on {date}"),
        "timeline_heading": ("Uppföljningar", "Follow-ups"),
        "follow_up_cap": ("Uppföljning", "Follow-up"),
        "final_follow_up_cap": ("Slutuppföljning", "Final follow-up"),
        "held_on_time": ("i tid, {date}", "on time, {date}"),
        "observation_retracted": ("återkallad, räknas inte längre", "retracted, no longer counted"),
        "done_late": ("Försenad", "Late"),
        "held_late_on": ("genomförd {date}", "held on {date}"),
        "missed": ("Missad", "Missed"),
        "missed_on": ("datum som missades: {dates}", "dates missed: {dates}"),
        "rescheduled": (
            "Flyttad från {old} till {new} (beslutat {on}).",
            "Moved from {old} to {new} (decided {on}).",
        ),
        "no_feedback_promise": (
            "Ingen återkoppling har publicerats om löftet ännu.",
            "No feedback on this promise has been published yet.",
        ),
        "no_outcome_yet": (
            "Löftet är inte avslutat ännu.",
            "The promise has not been concluded yet.",
        ),
        "derivation_heading": (
            "Varför just detta? Så togs löftet fram",
            "Why this? How the promise was derived",
        ),
        "derivation_lead": (
            "Löftet bygger på problem som polisen och kommunen prioriterade utifrån vad invånare "
            "och medarbetare berättade och annan kunskap.",
            "The promise rests on problems the police and the municipality prioritised from what "
            "residents and staff said and other knowledge.",
        ),
        "rationale": ("Motivering", "Rationale"),
        "evidence_heading": ("Underlag", "Evidence"),
        "source_statistics": ("Statistik", "Statistics"),
        "source_survey": ("Enkät", "Survey"),
        "source_report": ("Rapport", "Report"),
        "source_other": ("Annat underlag", "Other source"),
        "json_promise": ("Löftet som JSON", "The promise as JSON"),
        "json_derivation": ("Härledningen som JSON", "The derivation as JSON"),
        # -- a dialogue -------------------------------------------------------------------
        "dialogue_title": ("Ni sa – vi gjorde: {title}", "You said, we did: {title}"),
        "dialogue_description": (
            "{kind} {date} i {name}: {total} saker togs upp och {led} ledde till ett utfärdat "
            "medborgarlöfte.",
            "{kind} on {date} in {name}: {total} things were raised and {led} led to an issued "
            "citizen promise.",
        ),
        "said_done_kicker": ("Ni sa – vi gjorde", "You said, we did"),
        "said_done_summary": (
            "{total} saker togs upp. {led} av dem ledde till ett utfärdat medborgarlöfte.",
            "{total} things were raised. {led} of them led to an issued citizen promise.",
        ),
        "whole_dialogue_heading": (
            "Dialogen som helhet ledde till",
            "The dialogue as a whole led to",
        ),
        "you_said_heading": (
            "Ni sa – och det här blev det av det",
            "You said – and this is what became of it",
        ),
        "we_did_heading": ("Vi gjorde", "We did"),
        "nothing_led_yet": (
            "Inget av det som togs upp har ännu lett till ett utfärdat löfte.",
            "Nothing raised has led to an issued promise yet.",
        ),
        "not_yet_heading": (
            "Det här har inte (ännu) lett till något löfte",
            "This has not (yet) led to any promise",
        ),
        "not_yet_lead": (
            "Det här togs upp men finns inte med i något utfärdat medborgarlöfte. Det kan ha "
            "hanterats på annat sätt, prioriterats bort eller vänta på ett kommande löfte.",
            "This was raised but is not part of any issued citizen promise. It may have been "
            "handled another way, not been prioritised, or await a coming promise.",
        ),
        "all_led": (
            "Allt som togs upp har lett till ett utfärdat löfte.",
            "Everything raised has led to an issued promise.",
        ),
        "latest_follow_up": ("Senast följt upp {date}", "Last followed up on {date}"),
        "no_follow_up_yet": ("Inte följt upp ännu.", "Not followed up yet."),
        # -- coverage ------------------------------------------------------------------------
        "coverage_title": (
            "Medborgarlöften i landet {year}",
            "Citizen promises across Sweden in {year}",
        ),
        "coverage_description": (
            "{covered} av {total} kommuner hade ett medborgarlöfte som gällde under {year}.",
            "{covered} of {total} municipalities had a citizen promise in force during {year}.",
        ),
        "coverage_lead": (
            "Hur många av Sveriges {total} kommuner som hade ett utfärdat medborgarlöfte som gällde "
            "någon gång under {year}, per polisregion och län.",
            "How many of Sweden's {total} municipalities had an issued citizen promise in force at "
            "some time during {year}, by police region and county.",
        ),
        "year_nav": ("Andra år", "Other years"),
        "covered_list_heading": ("Kommuner med medborgarlöfte", "Municipalities with a promise"),
        "uncovered_list_heading": (
            "Kommuner utan medborgarlöfte",
            "Municipalities without a promise",
        ),
        "none_covered": ("Ingen kommun hade ett medborgarlöfte.", "No municipality had a promise."),
        "none_uncovered": (
            "Alla kommuner hade ett medborgarlöfte.",
            "Every municipality had a promise.",
        ),
        "report_forms_heading": ("Rapporten att ladda ned", "The report to download"),
        "national_report_as": (
            "Täckningsrapporten {year} som {form}",
            "The coverage report {year} as {form}",
        ),
    }
)
