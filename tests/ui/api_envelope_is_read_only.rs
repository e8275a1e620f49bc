// Envelopes are read-only: IDs are checked when an envelope is built.
use matrix_widget_api::{ActionName, Api, Envelope};
use matrix_widget_api::naming::Spelled;

fn main() {
    let Ok(mut envelope) = Envelope::new(Api::FromWidget, "w", "r", Spelled::new(ActionName::ContentLoaded)) else { return };
    envelope.request_id = String::new();
}
