"""The words of the staff workspace, Swedish first, then English (registered once)."""

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
