//! A host session driven from an async runtime (tokio): one task owns the session, the
//! environment's work runs concurrently, and the session's deadlines become sleeps.
//!
//! The library needs no runtime; this is one way to drive it. The shape is the same with
//! any executor: a channel of [`Input`]s into the task that owns the [`HostSession`], a
//! sleep until [`HostSession::next_deadline`] that feeds [`Input::Tick`], and the
//! [`Output`]s handed on as they come.
//!
//! Run it with `cargo run -p matrix-widget-api-host --example tokio_host`. It plays a call
//! widget (negotiation, then a delayed leave event) against an environment that answers
//! after a simulated delay, and checks what the widget received.

#![expect(
    clippy::indexing_slicing,
    clippy::expect_used,
    reason = "an example: indexing a serde_json::Value only reads (a missing key is null), and a failed check must stop it"
)]

use matrix_widget_api_host::session::{Config, EnvRequest, HostSession, Input, Millis, Notification, Output};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, sleep_until};

const WIDGET_ID: &str = "call";
const ROOM: &str = "!call:example.org";
const MEMBER: &str = "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:example.org_DEV";

/// The task that owns the session: feeds it every input as it arrives, and a tick when
/// its next deadline passes. Ends on [`Input::Stop`] or when every sender is gone.
async fn own_session(mut session: HostSession, mut inputs: mpsc::UnboundedReceiver<Input>, outputs: mpsc::UnboundedSender<Output>) {
    let origin = Instant::now();
    let now = || Millis::since(origin.into_std(), Instant::now().into_std());
    loop {
        let deadline = session.next_deadline().map(|d| origin + Duration::from_millis(d.0));
        let input = tokio::select! {
            input = inputs.recv() => match input {
                Some(input) => input,
                None => return,
            },
            () = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => Input::Tick,
        };
        let stop = matches!(input, Input::Stop);
        for output in session.process(now(), input) {
            if outputs.send(output).is_err() {
                return;
            }
        }
        if stop {
            return;
        }
    }
}

/// The host environment: carries out one request (here after a simulated network delay)
/// and returns the answer for the session.
async fn carry_out(id: matrix_widget_api_host::session::EnvId, request: EnvRequest) -> Input {
    sleep(Duration::from_millis(5)).await;
    match request {
        // The user approves what was asked.
        EnvRequest::ApproveCapabilities { requested } => Input::answer(id, &requested),
        // A homeserver that schedules every delayed event (see the `session` module docs
        // for the MSC4140 HTTP requests behind this).
        EnvRequest::SendDelayedEvent { room_id, .. } => Input::answer(id, &json!({ "room_id": room_id, "delay_id": "syd_leave" })),
        other => Input::answer_error(id, format!("{} is not supported by this host", other.name())),
    }
}

/// The widget's side, scripted: answers `capabilities`, then schedules its delayed leave.
fn widget_answer(message: &str) -> Option<String> {
    let mut message: Value = serde_json::from_str(message).ok()?;
    if message["api"] == "toWidget" && message["action"] == "capabilities" {
        message["response"] = json!({ "capabilities": [MEMBER, "org.matrix.msc4157.send.delayed_event"] });
        return Some(message.to_string());
    }
    None
}

fn leave_request() -> String {
    json!({
        "api": "fromWidget", "widgetId": WIDGET_ID, "requestId": "leave", "action": "send_event",
        "data": { "type": "org.matrix.msc3401.call.member", "state_key": "_@a:example.org_DEV", "content": {}, "delay": 10000 }
    })
    .to_string()
}

/// Runs the conversation; returns the replies the widget received to its own requests.
pub(crate) async fn run() -> Vec<Value> {
    let config = Config::new(WIDGET_ID, "@a:example.org").viewed_room(ROOM).to_widget_timeout(Millis(200));
    let (inputs, received) = mpsc::unbounded_channel();
    let (outputs, mut posted) = mpsc::unbounded_channel();
    let owner = tokio::spawn(own_session(HostSession::new(config), received, outputs));

    let _ = inputs.send(Input::IframeLoaded);
    let mut replies = Vec::new();
    while let Some(output) = posted.recv().await {
        match output {
            Output::ToWidget(text) => {
                if let Some(answer) = widget_answer(&text) {
                    let _ = inputs.send(Input::WidgetMessage(answer));
                } else if let Ok(message) = serde_json::from_str::<Value>(&text)
                    && message["api"] == "fromWidget"
                {
                    replies.push(message["response"].clone());
                    let _ = inputs.send(Input::Stop);
                }
            }
            // Each environment request runs concurrently; its answer comes back as input.
            Output::Environment { id, request } => {
                let inputs = inputs.clone();
                tokio::spawn(async move {
                    let _ = inputs.send(carry_out(id, request).await);
                });
            }
            Output::Notify(Notification::Ready) => {
                let _ = inputs.send(Input::WidgetMessage(leave_request()));
            }
            Output::Notify(Notification::Closed) => break,
            Output::Notify(_) => {}
        }
    }
    let _ = owner.await;
    replies
}

/// Runs [`run`] on a single-threaded runtime and checks the widget's reply.
pub(crate) fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a tokio runtime");
    let replies = runtime.block_on(run());
    assert_eq!(replies, [json!({ "room_id": ROOM, "delay_id": "syd_leave" })], "the widget's delayed leave was scheduled");
    println!("the widget's delayed leave was scheduled: {}", replies[0]);
}
