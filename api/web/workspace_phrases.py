"""The words of the staff workspace, Swedish first, then English (registered once).

One piece on purpose, though long: it is a phrase table, not logic. A translator reads
and checks it top to bottom in the order the pages show the words (frame, then each
page), and a word several pages use (a button, a field label) stands here once; split
by page, it would be looked for, or written again, in several files.
"""

from __future__ import annotations

from api.web.i18n import register

register(
    {
        # -- frame ------------------------------------------------------------------------
        "ws_name": ("Arbetsytan", "Workspace"),
        "ws_nav_label": ("Arbetsytans meny", "Workspace menu"),
        "ws_nav_start": ("Att göra", "To do"),
        "ws_nav_dialogues": ("Dialoger", "Dialogues"),
        "ws_nav_issues": ("Problem", "Issues"),
        "ws_nav_promises": ("Löften", "Promises"),
        "ws_nav_admin": ("Åtkomst", "Access"),
        "ws_nav_public": ("Publika sidor", "Public pages"),
        "ws_signed_in_as": ("Inloggad som {label}", "Signed in as {label}"),
        "ws_sign_out": ("Logga ut", "Sign out"),
        "ws_footer": (
            "Arbetsytan är till för kommunpoliser, kommunernas samordnare och administratörer. "
            "Allt som görs här blir en händelse i registret, med ditt namn, och kan inte "
            "raderas – bara rättas med en motivering.",
            "The workspace is for municipal liaison officers, the municipalities' coordinators "
            "and administrators. Everything done here becomes an event in the record, with your "
            "name, and cannot be deleted – only corrected with a reason.",
        ),
        "ws_role_police": ("Polisen", "Police"),
        "ws_role_municipality": ("Kommunen", "Municipality"),
        "ws_role_admin": ("Administratör", "Administrator"),
        "ws_role_auditor": ("Granskare", "Auditor"),
        "form_optional": ("(frivilligt)", "(optional)"),
        "form_error_prefix": ("Fel:", "Error:"),
        "form_error_summary": ("Något behöver rättas", "There is a problem"),
        # -- sign-in ----------------------------------------------------------------------
        "signin_title": ("Logga in i arbetsytan", "Sign in to the workspace"),
        "signin_lead": (
            "Logga in med den åtkomstnyckel som en administratör gav dig. Nyckeln visas bara en "
            "gång när den skapas; har du tappat bort den får du be om en ny.",
            "Sign in with the access token an administrator gave you. A token is shown only "
            "once, when it is created; if you have lost yours, ask for a new one.",
        ),
        "signin_token": ("Åtkomstnyckel", "Access token"),
        "signin_token_hint": (
            "Börjar med lft_. Klistra in hela nyckeln.",
            "Starts with lft_. Paste the whole token.",
        ),
        "signin_button": ("Logga in", "Sign in"),
        "signin_error_empty": ("Skriv in din åtkomstnyckel.", "Enter your access token."),
        "signin_error_unknown": (
            "Nyckeln är okänd. Kontrollera att du fick med hela nyckeln.",
            "The token is not known. Check that you pasted all of it.",
        ),
        "signin_error_revoked": (
            "Nyckeln har spärrats. Be en administratör om en ny.",
            "The token has been revoked. Ask an administrator for a new one.",
        ),
        "signin_error_expired": (
            "Nyckeln gällde till och med {day}. Be en administratör om en ny.",
            "The token was valid up to {day}. Ask an administrator for a new one.",
        ),
        "signin_reason_none": ("Logga in för att fortsätta.", "Sign in to continue."),
        "signin_reason_ended": (
            "Din inloggning har upphört (efter 8 timmar utan aktivitet eller när du loggade ut). "
            "Logga in igen.",
            "Your session has ended (after 8 hours without use, or when you signed out). "
            "Sign in again.",
        ),
        "signin_reason_revoked": (
            "Nyckeln du loggade in med har spärrats, så inloggningen har avslutats.",
            "The token you signed in with has been revoked, so the session has ended.",
        ),
        "signin_reason_expired": (
            "Nyckeln du loggade in med har gått ut, så inloggningen har avslutats.",
            "The token you signed in with has expired, so the session has ended.",
        ),
        "signin_reason_signed_out": ("Du är utloggad.", "You are signed out."),
        "signin_post_title": ("Inte inloggad", "Not signed in"),
        "signin_post_body": (
            "Inget sparades. Logga in igen och skicka formuläret på nytt.",
            "Nothing was saved. Sign in again and send the form once more.",
        ),
        "signin_link": ("Till inloggningen", "To sign-in"),
        # -- refusals ---------------------------------------------------------------------
        "csrf_title": ("Formuläret togs inte emot", "The form was not accepted"),
        "csrf_nothing": (
            "Ingenting har sparats eller ändrats.",
            "Nothing has been saved or changed.",
        ),
        "csrf_reason_missing": (
            "Formuläret saknade sin säkerhetskod. Det kan hända om sidan sparats undan eller "
            "formuläret skickats från en annan webbplats.",
            "The form lacked its security code. That happens when a page was saved elsewhere "
            "or the form was sent from another website.",
        ),
        "csrf_reason_wrong": (
            "Formulärets säkerhetskod hör till en annan inloggning (du kan ha loggat in igen i "
            "en annan flik).",
            "The form's security code belongs to another session (you may have signed in again "
            "in another tab).",
        ),
        "csrf_reason_origin": (
            "Formuläret skickades från en annan webbplats än Löftesboken.",
            "The form was sent from a website other than Löftesboken.",
        ),
        "csrf_again": (
            "Gå tillbaka, ladda om sidan och försök igen.",
            "Go back, reload the page and try again.",
        ),
        "error_title_403": ("Du har inte behörighet", "You may not do this"),
        "error_title_404": ("Sidan finns inte", "Page not found"),
        "error_title_409": ("Det går inte just nu", "This cannot be done now"),
        "error_title_412": ("Någon har ändrat detta", "Someone changed this"),
        "error_title_422": ("Uppgifterna kan inte tas emot", "The values cannot be accepted"),
        "error_title_other": ("Något gick fel", "Something went wrong"),
        "error_nothing_recorded": ("Ingenting registrerades.", "Nothing was recorded."),
        "error_detail": ("Systemets förklaring", "The system's explanation"),
        "error_back": ("Till arbetsytans start", "To the workspace start"),
        # -- shared ---------------------------------------------------------------------
        "ws_version": ("Version", "Version"),
        "ws_history": ("Historik (alla händelser)", "History (every event)"),
        "date_hint": ("Som ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.", "As YYYY-MM-DD, e.g. 2025-03-14."),
        "form_stale": (
            "Någon har ändrat detta sedan du öppnade sidan. Inget av det du skickade har "
            "sparats. Här är hur det ser ut nu; det du skrev finns kvar i formuläret.",
            "Someone changed this since you opened the page. Nothing you sent has been saved. "
            "This is how it stands now; what you typed is still in the form.",
        ),
        # -- history ----------------------------------------------------------------------
        "hist_title": ("Historik: {title}", "History: {title}"),
        "hist_lead": (
            "Varje händelse som registrerats, äldst först. Inget kan ändras i efterhand; "
            "rättelser syns som egna händelser.",
            "Every event recorded, oldest first. Nothing can be changed afterwards; "
            "corrections show as events of their own.",
        ),
        "hist_back": ("Tillbaka", "Back"),
        "hist_data": ("Uppgifter i händelsen", "The event's data"),
        # -- dialogues --------------------------------------------------------------------
        "dl_title": ("Dialoger", "Dialogues"),
        "dl_year": ("År", "Year"),
        "dl_kind": ("Slag av dialog", "Kind of dialogue"),
        "dl_all_kinds": ("Alla slag", "All kinds"),
        "dl_choose_kind": ("Välj slag", "Choose a kind"),
        "dl_choose_municipality": ("Välj kommun", "Choose a municipality"),
        "dl_filter": ("Visa", "Show"),
        "dl_pick": ("Välj en kommun.", "Choose a municipality."),
        "dl_none": ("Inga dialoger med de valen.", "No dialogues with those choices."),
        "dl_caption": (
            "Dialoger i {name}, senast registrerade först",
            "Dialogues in {name}, latest recorded first",
        ),
        "dl_dialogue": ("Dialog", "Dialogue"),
        "dl_held_on": ("Hölls", "Held on"),
        "dl_observations": ("Iakttagelser", "Observations"),
        "dl_observations_table": ("Tabell över iakttagelserna", "Table of the observations"),
        "dl_more": ("Fler dialoger", "More dialogues"),
        "dl_new_title": ("Registrera en dialog", "Record a dialogue"),
        "dl_new_lead": (
            "En medborgardialog, medarbetardialog, trygghetsvandring eller trygghetsmätning som "
            "har hållits. Det som togs upp registrerar du på nästa sida.",
            "A citizen dialogue, staff dialogue, safety walk or survey that was held. What was "
            "raised there you record on the next page.",
        ),
        "dl_dialogue_title": ("Rubrik", "Title"),
        "dl_title_hint": (
            "Syns publikt, t.ex. ”Trygghetsvandring i Lindängen”.",
            "Shown publicly, e.g. “Safety walk in Lindängen”.",
        ),
        "dl_place": ("Plats", "Place"),
        "dl_participants": ("Antal deltagare", "Participants"),
        "dl_participants_hint": (
            "Hur många som deltog (för en enkät: hur många som svarade).",
            "How many took part (for a survey: how many answered).",
        ),
        "dl_organisers": ("Arrangörer", "Organisers"),
        "dl_organisers_hint": ("En per rad.", "One per line."),
        "dl_save": ("Registrera dialogen", "Record the dialogue"),
        "dl_public_page": ("Dialogens publika sida", "The dialogue's public page"),
        "dl_no_observations": ("Inga iakttagelser än.", "No observations yet."),
        "dl_summary": ("Sammanfattning", "Summary"),
        "dl_summary_hint": (
            "Syns publikt: skriv inga namn eller andra personuppgifter.",
            "Shown publicly: no names or other personal data.",
        ),
        "dl_theme": ("Tema", "Theme"),
        "dl_choose_theme": ("Välj tema", "Choose a theme"),
        "dl_count": ("Antal", "Count"),
        "dl_count_hint": (
            "Hur många som tog upp det (minst 1).",
            "How many raised it (at least 1).",
        ),
        "dl_note": ("Intern anteckning", "Internal note"),
        "dl_note_hint": ("Visas aldrig publikt.", "Never shown publicly."),
        "dl_add_title": ("Registrera iakttagelser", "Record observations"),
        "dl_add_lead": (
            "Fyll i en rad per sak som togs upp; tomma rader hoppas över. Inget registreras "
            "förrän alla ifyllda rader är rätt.",
            "Fill in one row per thing raised; blank rows are skipped. Nothing is recorded "
            "until every filled-in row is right.",
        ),
        "dl_row": ("Iakttagelse {number}", "Observation {number}"),
        "dl_add_button": ("Registrera iakttagelserna", "Record the observations"),
        "dl_more_rows": ("Fler rader", "More rows"),
        "dl_no_rows": ("Fyll i minst en iakttagelse.", "Fill in at least one observation."),
        "dl_recorded": ("{count} iakttagelser registrerades.", "{count} observations recorded."),
        # -- survey CSV -------------------------------------------------------------------
        "csv_title": ("Ladda upp enkätsvar (CSV)", "Upload survey counts (CSV)"),
        "csv_lead": (
            "En fil med antal per tema, aldrig enskilda svar: kolumnerna theme, summary, count "
            "och (frivilligt) place. Tema skrivs som kod (drugs) eller namn (Narkotika). Du får "
            "se alla rader och eventuella fel innan något registreras.",
            "A file of counts per theme, never individual answers: the columns theme, summary, "
            "count and (optional) place. A theme is written as its code (drugs) or name "
            "(Drugs). You see every row and any errors before anything is recorded.",
        ),
        "csv_file": ("CSV-fil", "CSV file"),
        "csv_file_hint": (
            "Komma- eller semikolonseparerad, UTF-8 eller Windows-1252.",
            "Comma or semicolon separated, UTF-8 or Windows-1252.",
        ),
        "csv_upload": ("Förhandsgranska filen", "Preview the file"),
        "csv_preview": ("Förhandsgranskning", "Preview"),
        "csv_line": ("Rad", "Line"),
        "csv_rows_caption": ("Filens rader", "The file's rows"),
        "csv_errors": ("Fel", "Errors"),
        "csv_row_ok": ("Rätt", "OK"),
        "csv_ok": (
            "Alla {count} rader är rätt. Inget är registrerat än.",
            "All {count} rows are right. Nothing is recorded yet.",
        ),
        "csv_bad": (
            "{bad} av {count} rader har fel. Inget har registrerats.",
            "{bad} of {count} rows have errors. Nothing has been recorded.",
        ),
        "csv_fix": (
            "Rätta filen och ladda upp den igen.",
            "Correct the file and upload it again.",
        ),
        "csv_confirm": ("Registrera {count} iakttagelser", "Record {count} observations"),
        "csv_empty": ("Filen har inga rader med uppgifter.", "The file has no rows of data."),
        "csv_too_big": ("Filen är större än {size} kB.", "The file is larger than {size} kB."),
        "csv_too_many": ("Högst {most} rader åt gången.", "At most {most} rows at a time."),
        "csv_columns": (
            "Första raden ska namnge kolumnerna theme, summary, count (och place). Saknas: "
            "{missing}. Okända: {unknown}.",
            "The first line must name the columns theme, summary, count (and place). "
            "Missing: {missing}. Unknown: {unknown}.",
        ),
        "csv_extra_cells": (
            "Raden har fler fält än rubrikraden.",
            "The row has more cells than the header.",
        ),
        "csv_unknown_theme": ("Okänt tema ”{theme}”.", "Unknown theme “{theme}”."),
        # -- issues ---------------------------------------------------------------------
        "form_required": ("Fyll i det här fältet.", "Fill in this field."),
        "is_title": ("Problem", "Issues"),
        "is_status": ("Status", "Status"),
        "is_all_statuses": ("Alla", "All"),
        "is_all_themes": ("Alla teman", "All themes"),
        "is_none": ("Inga problem med de valen.", "No issues with those choices."),
        "is_caption": (
            "Problem i {name}, senast registrerade först",
            "Issues in {name}, latest recorded first",
        ),
        "is_issue": ("Problem", "Issue"),
        "is_status_identified": ("Identifierat", "Identified"),
        "is_status_prioritised": ("Prioriterat", "Prioritised"),
        "is_status_rejected": ("Avfärdat", "Rejected"),
        "is_identified_on": ("Identifierat", "Identified on"),
        "is_identified_hint": (
            "ÅÅÅÅ-MM-DD; lämnas tomt blir det idag. Inte före de dialoger det bygger på.",
            "YYYY-MM-DD; left blank it is today. Not before the dialogues it rests on.",
        ),
        "is_evidence_count": ("Underlag", "Evidence"),
        "is_new_title": ("Identifiera ett problem", "Identify an issue"),
        "is_new_lead": (
            "Ett problem i {name} som det ni hört och vet pekar på. Bocka för de iakttagelser "
            "det bygger på och/eller ange annat underlag.",
            "An issue in {name} that what you heard and know points to. Tick the observations "
            "it rests on and/or name another source.",
        ),
        "is_issue_title": ("Rubrik", "Title"),
        "is_title_hint": (
            "T.ex. ”Otrygghet i gångtunnlarna”.",
            "E.g. “Unsafe pedestrian tunnels”.",
        ),
        "is_description": ("Beskrivning", "Description"),
        "is_description_hint": ("Vad problemet är och varför.", "What the issue is and why."),
        "is_evidence": ("Underlag", "Evidence"),
        "is_evidence_hint": (
            "Iakttagelser från kommunens dialoger, senaste dialogen först.",
            "Observations from the municipality's dialogues, latest dialogue first.",
        ),
        "is_filter_theme": ("Visa bara tema", "Show only the theme"),
        "is_filter_button": ("Filtrera", "Filter"),
        "is_no_observations": ("Inga iakttagelser att visa.", "No observations to show."),
        "is_mentions": ("{count} omnämnanden", "{count} mentions"),
        "is_already_cited": ("redan underlag för {count}", "already cited by {count}"),
        "is_other_source": ("Annat underlag", "Another source"),
        "is_other_source_hint": (
            "Brottsstatistik, en trygghetsmätning, en rapport eller lägesbilden.",
            "Crime statistics, a survey, a report or the situation assessment.",
        ),
        "is_source_type": ("Slag av underlag", "Kind of source"),
        "is_choose_source": ("Välj slag av underlag", "Choose a kind of source"),
        "is_reference": ("Hänvisning", "Reference"),
        "is_reference_hint": (
            "T.ex. ”BRÅ NTU 2024, Malmö” eller ”Lägesbild 2025, avsnitt 3”.",
            "E.g. “NTU 2024, Malmö” or “Situation assessment 2025, section 3”.",
        ),
        "is_need_evidence": (
            "Bocka för minst en iakttagelse eller ange annat underlag.",
            "Tick at least one observation or name another source.",
        ),
        "is_save": ("Identifiera problemet", "Identify the issue"),
        "is_priority": ("Prioritet", "Priority"),
        "is_priority_short": ("prio {n}", "priority {n}"),
        "is_priority_1": ("1 – högst", "1 – highest"),
        "is_priority_2": ("2", "2"),
        "is_priority_3": ("3", "3"),
        "is_priority_4": ("4", "4"),
        "is_priority_5": ("5 – lägst", "5 – lowest"),
        "is_choose_priority": ("Välj prioritet", "Choose a priority"),
        "is_rationale": ("Motivering", "Rationale"),
        "is_rationale_hint": ("Varför just denna prioritet.", "Why this priority."),
        "is_prioritise_title": ("Prioritera", "Prioritise"),
        "is_prioritise_button": ("Prioritera problemet", "Prioritise the issue"),
        "is_add_source_title": ("Lägg till underlag", "Add evidence"),
        "is_add_source_button": ("Lägg till underlaget", "Add the evidence"),
        "is_reject_title": ("Avfärda", "Reject"),
        "is_reject_reason": ("Skäl att avfärda", "Reason for rejecting"),
        "is_reject_hint": (
            "Ett avfärdat problem kan inte bli föremål för ett löfte.",
            "A rejected issue cannot be addressed by a promise.",
        ),
        "is_reject_button": ("Avfärda problemet", "Reject the issue"),
        # -- promises -------------------------------------------------------------------
        "pr_title": ("Löften", "Promises"),
        "pr_none": ("Inga löften med de valen.", "No promises with those choices."),
        "pr_caption": (
            "Medborgarlöften i {name}, senast registrerade först",
            "Promises in {name}, latest recorded first",
        ),
        "pr_promise": ("Löfte", "Promise"),
        "pr_period": ("Period", "Period"),
        "pr_new_title": ("Skriv ett utkast till löfte", "Draft a promise"),
        "pr_new_lead": (
            "Ett medborgarlöfte bygger på prioriterade problem och lovar aktiviteter som går att "
            "följa upp. Utkastet kan kompletteras och skrivs sedan under av polisen och varje "
            "kommun innan det utfärdas.",
            "A citizen promise rests on prioritised issues and promises activities that can be "
            "followed up. The draft can be completed and is then signed by the police and every "
            "municipality before it is issued.",
        ),
        "pr_municipalities": ("Kommuner", "Municipalities"),
        "pr_municipalities_hint": (
            "Ett lokalpolisområde ger ofta ett gemensamt löfte med flera kommuner; du måste "
            "företräda var och en.",
            "A police district often makes one promise with several municipalities; you must "
            "act for each of them.",
        ),
        "pr_show_issues": (
            "Visa kommunernas prioriterade problem",
            "Show their prioritised issues",
        ),
        "pr_need_municipality": ("Välj minst en kommun.", "Choose at least one municipality."),
        "pr_need_issue": (
            "Bocka för minst ett prioriterat problem.",
            "Tick at least one prioritised issue.",
        ),
        "pr_promise_title": ("Rubrik", "Title"),
        "pr_title_hint": (
            "T.ex. ”Medborgarlöfte Malmö Centrum 2026”.",
            "E.g. “Citizen promise Malmö Centrum 2026”.",
        ),
        "pr_police_district": ("Lokalpolisområde", "Police district"),
        "pr_police_district_hint": ("T.ex. ”LPO Malmö Centrum”.", "E.g. “LPO Malmö Centrum”."),
        "pr_starts_on": ("Gäller från", "Starts on"),
        "pr_ends_on": ("Gäller till", "Ends on"),
        "pr_ends_on_hint": (
            "Högst tre år efter start, ÅÅÅÅ-MM-DD.",
            "At most three years after the start, YYYY-MM-DD.",
        ),
        "pr_cadence": ("Uppföljning", "Follow-up"),
        "pr_cadence_hint": ("Hur ofta löftet följs upp.", "How often the promise is followed up."),
        "cadence_quarterly": ("varje kvartal", "quarterly"),
        "cadence_biannual": ("varje halvår", "every six months"),
        "cadence_annual": ("en gång om året", "once a year"),
        "pr_text": ("Löftestext", "The promise's text"),
        "pr_text_hint": (
            "Det invånarna läser: ”Under 2026 lovar polisen och kommunen att …”.",
            "What residents read: “In 2026 the police and the municipality promise to …”.",
        ),
        "pr_addresses": ("Problem som löftet bemöter", "Issues the promise addresses"),
        "pr_addresses_hint": (
            "Bara prioriterade problem kan väljas.",
            "Only prioritised issues can be chosen.",
        ),
        "pr_no_prioritised": (
            "Inga prioriterade problem i de valda kommunerna. Prioritera ett problem först.",
            "No prioritised issues in the chosen municipalities. Prioritise an issue first.",
        ),
        "pr_activities": ("Aktiviteter", "Activities"),
        "pr_activities_caption": ("Löftets aktiviteter", "The promise's activities"),
        "pr_activities_hint": (
            "Det som lovas, en rad per aktivitet. Tomma rader hoppas över.",
            "What is promised, one row per activity. Blank rows are skipped.",
        ),
        "pr_activity_n": ("Aktivitet {number}", "Activity {number}"),
        "pr_activity_description": ("Aktivitet", "Activity"),
        "pr_activity_hint": (
            "Gör den mätbar: ”minst två trygghetsvandringar”, ”50 trafikkontroller före 30 juni”.",
            "Make it measurable: “at least two safety walks”, “50 traffic checks before 30 June”.",
        ),
        "pr_not_measurable": (
            "Varning: aktiviteten anger varken antal eller datum. Brå rekommenderar mätbara "
            "aktiviteter, som ”minst två” eller ”50 kontroller”.",
            "Warning: the activity names neither a number nor a date. Brå recommends measurable "
            "activities, such as “at least two” or “50 checks”.",
        ),
        "pr_responsible": ("Ansvarig", "Responsible"),
        "pr_choose_responsible": ("Välj ansvarig", "Choose who is responsible"),
        "pr_responsible_name": ("Ansvarig enhet eller person", "Responsible unit or person"),
        "pr_due_on": ("Klart senast", "Due on"),
        "pr_add_row": ("Lägg till en aktivitet", "Add an activity"),
        "pr_remove_row": ("Ta bort aktivitet {number}", "Remove activity {number}"),
        "pr_save_draft": ("Spara utkastet", "Save the draft"),
        "pr_public_page": ("Löftets publika sida", "The promise's public page"),
        "pr_signatures": ("Underskrifter", "Signatures"),
        "pr_no_signatures": ("Inga underskrifter än.", "No signatures yet."),
        "pr_party": ("Skriver under för", "Signs for"),
        "pr_party_hint": (
            "Bara de parter du får registrera underskrift för visas.",
            "Only the parties you may record a signature for are shown.",
        ),
        "pr_choose_party": ("Välj part", "Choose a party"),
        "pr_party_police": ("Polisen", "The police"),
        "pr_party_municipality": ("Kommunen: {name}", "The municipality: {name}"),
        "pr_party_partner": (
            "Annan part (t.ex. bostadsbolag eller skola)",
            "A partner (e.g. housing company or school)",
        ),
        "pr_no_party": (
            "Det finns ingen part kvar som du får skriva under för.",
            "There is no party left you may sign for.",
        ),
        "pr_signer_name": ("Namn", "Name"),
        "pr_signer_title": ("Titel", "Title"),
        "pr_signer_title_hint": (
            "T.ex. lokalpolisområdeschef, kommunstyrelsens ordförande.",
            "E.g. police district chief, chair of the executive board.",
        ),
        "pr_signed_on": ("Undertecknat", "Signed on"),
        "pr_sign_title": ("Registrera en underskrift", "Record a signature"),
        "pr_sign_button": ("Registrera underskriften", "Record the signature"),
        "pr_plan_title": ("Lägg till en aktivitet", "Add an activity"),
        "pr_plan_button": ("Lägg till aktiviteten", "Add the activity"),
        "pr_issue_title": ("Utfärda löftet", "Issue the promise"),
        "pr_missing": (
            "Innan löftet kan utfärdas saknas:",
            "Before the promise can be issued it needs:",
        ),
        "pr_to_issue": ("Förhandsgranska och utfärda", "Preview and issue"),
        "pr_issued_on": ("Utfärdat", "Issued on"),
        "pr_issued_on_hint": (
            "ÅÅÅÅ-MM-DD; inte före någon underskrift och inte efter periodens slut.",
            "YYYY-MM-DD; not before any signature and not after the period ends.",
        ),
        "pr_show_dates": ("Visa uppföljningsdatum", "Show the follow-up dates"),
        "pr_dates_title": ("Uppföljningar som planeras", "Follow-ups that will be scheduled"),
        "pr_dates_lead": (
            "Uppföljning {cadence}, och en slutuppföljning:",
            "Follow-up: {cadence}, and a final follow-up:",
        ),
        "pr_issue_final": (
            "När löftet är utfärdat är texten låst och löftet blir publikt.",
            "Once issued the text is fixed and the promise becomes public.",
        ),
        "pr_issue_button": ("Utfärda löftet {day}", "Issue the promise on {day}"),
        "pr_follow_ups": ("Uppföljningar", "Follow-ups"),
        "pr_feedback": ("Återkoppling till invånarna", "Feedback to residents"),
        "pr_feedback_title": ("Publicera återkoppling", "Publish feedback"),
        "pr_feedback_lead": (
            "Berätta för invånarna vad som gjorts – det är det som sluter cirkeln.",
            "Tell residents what has been done – that is what closes the loop.",
        ),
        "pr_published_on": ("Publicerad", "Published on"),
        "pr_channel": ("Kanal", "Channel"),
        "pr_channel_hint": (
            "T.ex. kommunens webbplats, ett möte, lokaltidningen.",
            "E.g. the municipality's website, a meeting, the local paper.",
        ),
        "pr_feedback_summary": ("Vad som återkopplades", "What was reported back"),
        "pr_feedback_summary_hint": ("Syns publikt.", "Shown publicly."),
        "pr_feedback_button": ("Publicera återkopplingen", "Publish the feedback"),
        "pr_conclude_title": ("Avsluta löftet", "Conclude the promise"),
        "pr_conclude_lead": (
            "Först när slutuppföljningen är gjord. Utfallet visas publikt.",
            "Only once the final follow-up is done. The outcome is shown publicly.",
        ),
        "pr_outcome": ("Utfall", "Outcome"),
        "pr_choose_outcome": ("Välj utfall", "Choose an outcome"),
        "pr_conclusion_summary": ("Sammanfattning", "Summary"),
        "pr_concluded_on": ("Avslutat", "Concluded on"),
        "pr_conclude_button": ("Avsluta löftet", "Conclude the promise"),
        "pr_withdraw_title": ("Återkalla löftet", "Withdraw the promise"),
        "pr_withdraw_reason": ("Skäl", "Reason"),
        "pr_withdraw_hint": (
            "Återkallelsen och skälet finns kvar i historiken.",
            "The withdrawal and its reason stay in the history.",
        ),
        "pr_withdraw_button": ("Återkalla löftet", "Withdraw the promise"),
        "pr_withdrawn_because": ("Återkallat", "Withdrawn"),
        "fu_held_on": ("Genomförd", "Held on"),
        "fu_late": ("sent", "late"),
        # -- follow-ups -----------------------------------------------------------------
        "fu_title": ("Uppföljning {day}", "Follow-up {day}"),
        "fu_missed": ("missade {days}", "missed {days}"),
        "fu_due_on": ("Förfaller", "Due on"),
        "fu_summary": ("Sammanfattning", "Summary"),
        "fu_summary_hint": (
            "Vad som gjorts och varför, även det som inte blev av.",
            "What was done and why, including what was not.",
        ),
        "fu_moves": ("Flyttad", "Moved"),
        "fu_moved": ("Från {old} till {new}", "From {old} to {new}"),
        "fu_reported": (
            "Aktiviteternas status vid uppföljningen",
            "The activities' status at the follow-up",
        ),
        "fu_comment": ("Kommentar", "Comment"),
        "fu_comment_hint": (
            "Hur det gick; för en aktivitet som inte blev av: varför.",
            "How it went; for an activity not carried out: why.",
        ),
        "fu_choose_status": ("Välj status", "Choose a status"),
        "fu_record_title": ("Registrera uppföljningen", "Record the follow-up"),
        "fu_record_lead": (
            "En rad per aktivitet i löftet: status och kommentar.",
            "One row per activity of the promise: status and comment.",
        ),
        "fu_held_on_hint": (
            "ÅÅÅÅ-MM-DD; inte före utfärdandet.",
            "YYYY-MM-DD; not before issuance.",
        ),
        "fu_record_button": ("Registrera uppföljningen", "Record the follow-up"),
        "fu_move_title": ("Flytta uppföljningen", "Move the follow-up"),
        "fu_move_lead": (
            "Ett missat datum räknas ändå som missat i årsredovisningen.",
            "A missed date still counts as missed in the annual report.",
        ),
        "fu_new_due_on": ("Nytt datum", "New date"),
        "fu_move_reason": ("Skäl", "Reason"),
        "fu_move_button": ("Flytta uppföljningen", "Move the follow-up"),
        # -- admin ----------------------------------------------------------------------
        "ad_title": ("Åtkomstnycklar", "Access tokens"),
        "ad_issued_title": ("Ny nyckel för {label}", "New token for {label}"),
        "ad_issued_once": (
            "Kopiera nyckeln nu och lämna den säkert till personen: den visas bara den här "
            "gången och sparas bara som en kontrollsumma.",
            "Copy the token now and hand it over safely: it is shown only this once and stored "
            "only as a hash.",
        ),
        "ad_already_shown_title": ("Nyckeln är redan visad", "The token was already shown"),
        "ad_already_shown": (
            "En ny nyckel visas bara en gång och ingen ny nyckel har skapats nu. Har den inte "
            "kopierats: spärra den i listan nedan och skapa en ny.",
            "A new token is shown only once and no token was issued now. If it was not copied: "
            "revoke it in the list below and create a new one.",
        ),
        "ad_create_title": ("Skapa en nyckel", "Create a token"),
        "ad_role": ("Roll", "Role"),
        "ad_choose_role": ("Välj roll", "Choose a role"),
        "ad_municipalities": ("Kommuner", "Municipalities"),
        "ad_municipalities_hint": (
            "Kommunkoder med komma emellan, t.ex. 1280, 1281. Bara för polis och kommun.",
            "Municipality codes separated by commas, e.g. 1280, 1281. Police and municipality only.",
        ),
        "ad_label": ("Vem", "Who"),
        "ad_label_hint": (
            "Syns i historiken vid allt personen gör, t.ex. ”Kommunpolis Malmö Centrum”.",
            "Shown in the history of everything they do, e.g. “Kommunpolis Malmö Centrum”.",
        ),
        "ad_expires_on": ("Sista giltighetsdag", "Last valid day"),
        "ad_expires_hint": (
            "Lämnas tomt gäller nyckeln tills den spärras.",
            "Left blank it works until revoked.",
        ),
        "ad_expires_past": (
            "Sista dagen kan inte vara före idag ({day}).",
            "The last day cannot be before today ({day}).",
        ),
        "ad_create_button": ("Skapa nyckeln", "Create the token"),
        "ad_list_title": ("Utfärdade nycklar", "Issued tokens"),
        "ad_list_caption": ("Nycklar, senast skapade först", "Tokens, latest first"),
        "ad_none": ("Inga nycklar är utfärdade.", "No tokens have been issued."),
        "ad_state": ("Läge", "State"),
        "ad_action": ("Åtgärd", "Action"),
        "ad_active": ("Gäller", "Active"),
        "ad_until": ("till {day}", "until {day}"),
        "ad_expired": ("Har gått ut", "Expired"),
        "ad_revoked": ("Spärrad {day}", "Revoked {day}"),
        "ad_last_used": ("Senast använd {day}", "Last used {day}"),
        "ad_revoke": ("Spärra", "Revoke"),
        "ad_revoke_named": ("Spärra nyckeln för {label}", "Revoke the token of {label}"),
        # -- corrections ----------------------------------------------------------------
        "co_dialogue": ("Rätta dialogen: {title}", "Correct the dialogue: {title}"),
        "co_observation": ("Rätta iakttagelsen: {title}", "Correct the observation: {title}"),
        "co_issue": ("Rätta problemet: {title}", "Correct the issue: {title}"),
        "co_promise": ("Ändra utkastet: {title}", "Amend the draft: {title}"),
        "co_follow_up": ("Rätta uppföljningen: {title}", "Correct the follow-up: {title}"),
        "co_feedback": ("Rätta återkopplingen: {title}", "Correct the feedback: {title}"),
        "co_lead": (
            "Ändra det som blev fel och skriv varför. Inget skrivs över: rättelsen blir en egen "
            "händelse och det första värdet finns kvar i historiken.",
            "Change what was wrong and say why. Nothing is overwritten: the correction is an "
            "event of its own and the first value stays in the history.",
        ),
        "co_reason": ("Skäl", "Reason"),
        "co_reason_hint": ("Syns i historiken.", "Shown in the history."),
        "co_button": ("Spara rättelsen", "Save the correction"),
        "co_nothing_changed": (
            "Inget fält är ändrat; ändra minst ett fält.",
            "No field was changed; change at least one.",
        ),
        "co_retract_title": ("Dra tillbaka iakttagelsen", "Retract the observation"),
        "co_retract_lead": (
            "För en iakttagelse som aldrig borde ha registrerats. Den slutar räknas i "
            "rapporter och underlag, men finns kvar i historiken.",
            "For an observation that should never have been recorded. It stops counting in "
            "reports and evidence, but stays in the history.",
        ),
        "co_retract_button": ("Dra tillbaka iakttagelsen", "Retract the observation"),
        "co_correct": ("Rätta", "Correct"),
        "co_amend": ("Ändra utkastet", "Amend the draft"),
        "co_retracted": ("tillbakadragen", "retracted"),
        "co_amend_clears": (
            "En ändring tar bort de underskrifter som redan getts: de skrev under en annan text.",
            "An amendment clears the signatures given so far: they signed another text.",
        ),
        # -- start ------------------------------------------------------------------------
        "start_ws_title": ("Att göra", "To do"),
        "start_ws_lead": (
            "Det här väntar i dina kommuner, idag {day}.",
            "This is waiting in your municipalities, today {day}.",
        ),
        "start_ws_none_scope": (
            "Inget är registrerat i någon kommun ännu.",
            "Nothing is recorded in any municipality yet.",
        ),
        "start_nothing": (
            "Inget väntar här just nu.",
            "Nothing is waiting here right now.",
        ),
        "start_overdue": ("Försenade uppföljningar", "Overdue follow-ups"),
        "start_upcoming": (
            "Uppföljningar de närmaste 60 dagarna",
            "Follow-ups in the next 60 days",
        ),
        "start_drafts": ("Utkast som väntar på underskrifter", "Drafts waiting for signatures"),
        "start_uncited": (
            "Dialoger vars iakttagelser inget problem bygger på än",
            "Dialogues whose observations no issue cites yet",
        ),
        "start_ending": ("Löften som slutar inom 90 dagar", "Promises ending within 90 days"),
        "start_feedback": (
            "Ingen återkoppling sedan senaste uppföljningen",
            "No feedback since the last follow-up",
        ),
        "start_due": ("förfaller {day}", "due {day}"),
        "start_final": ("slutuppföljning", "final follow-up"),
        "start_ends": ("slutar {day}", "ends {day}"),
        "start_followed_up": ("uppföljning {day}", "followed up {day}"),
        "start_observations": (
            "{count} iakttagelser, hölls {day}",
            "{count} observations, held {day}",
        ),
        "start_new_dialogue": ("Registrera en dialog", "Record a dialogue"),
        "start_new_issue": ("Identifiera ett problem", "Identify an issue"),
        "start_new_promise": ("Skriv ett utkast till löfte", "Draft a promise"),
        "start_public_page": ("Kommunens publika sida", "The municipality's public page"),
    }
)
