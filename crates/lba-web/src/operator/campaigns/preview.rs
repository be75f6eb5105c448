//! The live preview of a specification being edited (POST `/operateur/campagnes/apercu`).

use super::*;

/// The preview of `form` for the picked person and arm.
pub(super) async fn preview_of(
    state: &AppState,
    form: &SpecForm,
    pairs: Option<&Pairs>,
) -> PreviewView {
    let picked_person = pairs.map(|p| p.get("apercu.person")).unwrap_or_default();
    let picked_arm = pairs.map(|p| p.get("apercu.arm")).unwrap_or_default();
    let variants: Vec<String> = form
        .arms
        .iter()
        .filter(|a| !a.control && !a.name.is_empty())
        .map(|a| a.name.clone())
        .collect();
    let spec = match form.to_spec() {
        Ok(spec) => spec,
        Err(e) => {
            return PreviewView::new(
                &[],
                "",
                &variants,
                &picked_arm,
                PreviewBody::Error(format!(
                    "Aperçu impossible : champ {} : {}",
                    e.field, e.message
                )),
            );
        }
    };
    let people = match app::sample_people(&state.store, &spec, SAMPLE_SIZE).await {
        Ok(p) => p,
        Err(e) => {
            return PreviewView::new(
                &[],
                "",
                &variants,
                &picked_arm,
                PreviewBody::Error(e.to_string()),
            );
        }
    };
    let person = if people.iter().any(|(id, _)| *id == picked_person) {
        picked_person
    } else {
        people.first().map(|(id, _)| id.clone()).unwrap_or_default()
    };
    let arm = if variants.contains(&picked_arm) {
        picked_arm
    } else {
        variants.first().cloned().unwrap_or_default()
    };
    let body = if person.is_empty() {
        PreviewBody::Hint("Aucune personne de la cohorte ne correspond à ce segment.".into())
    } else if arm.is_empty() {
        PreviewBody::Hint("Ajoutez une variante (bras non témoin) pour voir un message.".into())
    } else {
        match app::preview(
            &state.store,
            &state.search,
            &content_config(state),
            &spec,
            &person,
            &arm,
            Utc::now(),
        )
        .await
        {
            Ok(p) => PreviewBody::Messages(preview_messages(&p), p.notes),
            Err(e) => PreviewBody::Error(e.to_string()),
        }
    };
    PreviewView::new(&people, &person, &variants, &arm, body)
}

/// The messages of an app preview, for the fragment.
fn preview_messages(p: &app::Preview) -> Vec<PreviewMessage> {
    p.messages
        .iter()
        .map(|m| {
            let sms = m.is_sms();
            let who = if m.to_parent() {
                "au parent"
            } else {
                "au jeune"
            };
            PreviewMessage {
                title: format!("{} {who}", if sms { "SMS" } else { "E-mail" }),
                subject: m.subject.clone(),
                text: (!sms).then(|| m.body_text.clone()),
                html: m.body_html.clone(),
                sms: sms.then(|| SmsView {
                    text: m.body_text.clone(),
                    units: m.sms.map_or(0, |l| l.units),
                    segments: m.sms.map_or(0, |l| l.segments),
                    encoding: match m.sms.map(|l| l.encoding) {
                        Some(lba_campaign::sms::SmsEncoding::Gsm7) => "GSM-7",
                        Some(lba_campaign::sms::SmsEncoding::Ucs2) => "Unicode",
                        None => "",
                    }
                    .to_owned(),
                }),
            }
        })
        .collect()
}

/// POST `/operateur/campagnes/apercu`: the preview fragment of the form.
pub(crate) async fn preview(
    operator: Operator,
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let pairs = Pairs(pairs);
    if !operator.csrf_ok(Some(&pairs.get("csrf"))) {
        return csrf_refused();
    }
    let form = SpecForm::from_pairs(&pairs);
    let view = preview_of(&state, &form, Some(&pairs)).await;
    views::preview_fragment(&view)
}
