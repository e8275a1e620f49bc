// A decoded request's data cannot be changed: its reply echoes the bytes it was decoded from.
use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};

fn main() {
    let text = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"send_event","data":{"type":"t","content":{}}}"#;
    let Ok(HostMessage::Request(FromWidgetRequest::SendEvent(mut request))) = decode_host(text) else { return };
    request.data.delay = None;
    request.data_mut();
}
