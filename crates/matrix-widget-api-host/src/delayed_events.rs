//! MSC4157 on the homeserver: the MSC4140 requests behind a widget's delayed `send_event`
//! and its `update_delayed_event`, and their responses back as widget replies.
//!
//! A host that receives a `send_event` with `delay` must not make an ordinary send: it must
//! ask the homeserver to *schedule* the event (MSC4140) and answer the widget with the
//! `delay_id` it gets back. `update_delayed_event` then cancels, restarts or sends that
//! delayed event early. This module turns both into [`http::Request`]s and the homeserver's
//! [`http::Response`]s into the widget's replies; the host sends the requests with its own
//! client and adds its own `Authorization` header (every request here needs the user's
//! access token).
//!
//! The steps, all pure:
//!
//! 1. At login, [`detect`] reads the server's `/versions` (and `/capabilities`) bodies into a
//!    [`Support`], and [`Homeserver::new`] keeps it with the base URL.
//! 2. [`Homeserver::send_event`] gives the request for a widget's `send_event` (delayed or
//!    not: one function for both) and a [`SendEventCall`];
//!    [`Homeserver::update_delayed_event`] gives the request for an `update_delayed_event`
//!    and an [`UpdateCall`].
//! 3. The call's `outcome` reads the homeserver's response into the widget's response, or
//!    into a [`HomeserverError`] that is both the widget's error reply and an [`ErrorKind`].
//!
//! # Example: a MatrixRTC leave event, end to end
//!
//! Element Call schedules its own "leave" (an empty `call.member` state event) so that it
//! is sent if the client vanishes, and keeps pushing it back with `restart`:
//!
//! ```
//! use matrix_widget_api::{FromWidgetRequest, HostMessage, decode_host};
//! use matrix_widget_api::naming::Spelled;
//! use matrix_widget_api_host::delayed_events::{detect, ErrorKind, Homeserver, UpdateForm};
//! use matrix_widget_api_host::permission::{Context, Permissions};
//!
//! // Once per widget: what it was granted (both MSC4157 capabilities, and the event's own).
//! let approved = [
//!     Spelled::parse("org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@alice:example.org_DEVICE")?,
//!     Spelled::parse("org.matrix.msc4157.send.delayed_event")?,
//!     Spelled::parse("org.matrix.msc4157.update_delayed_event")?,
//! ];
//! let permissions = Permissions::new(&approved);
//! let context = Context::in_room("!call:example.org");
//!
//! // Once per session: what does the homeserver support?
//! let versions = br#"{"versions":["v1.11","v1.12"],"unstable_features":{"org.matrix.msc4140":true}}"#;
//! let server = Homeserver::new("https://matrix.example.org", detect(versions, None)?)?;
//!
//! // The widget posts a delayed leave event.
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r1","action":"send_event",
//!   "data":{"type":"org.matrix.msc3401.call.member","state_key":"_@alice:example.org_DEVICE",
//!           "content":{},"delay":8000}}"#;
//! let HostMessage::Request(request) = decode_host(text)? else { panic!("a request") };
//! // The event's own capability and the delayed-event one: without both, this is the reply.
//! if let Err(denied) = permissions.check(&request, &context) {
//!     panic!("would answer {}", denied.reply(&request));
//! }
//! let FromWidgetRequest::SendEvent(request) = request else { panic!("a send_event request") };
//!
//! let (http_request, call) = server.send_event(request.data(), "!call:example.org", "txn-1")?;
//! assert_eq!(http_request.method(), "PUT");
//! assert_eq!(
//!     http_request.uri(),
//!     "https://matrix.example.org/_matrix/client/v3/rooms/%21call%3Aexample.org/state/\
//!      org.matrix.msc3401.call.member/_%40alice%3Aexample.org_DEVICE?org.matrix.msc4140.delay=8000",
//! );
//! assert_eq!(http_request.body(), b"{}");
//!
//! // The host sends it (with its access token); here is the homeserver's answer.
//! let http_response = http::Response::new(br#"{"delay_id":"syd_abc"}"#.to_vec());
//! let reply = match call.outcome(&http_response) {
//!     Ok(response) => request.reply(&response),
//!     Err(error) => request.reply_error(error),
//! };
//! assert!(reply.ends_with(r#","response":{"room_id":"!call:example.org","delay_id":"syd_abc"}}"#));
//!
//! // Had the delay been too long, the widget would get Synapse's error verbatim.
//! let mut too_long = http::Response::new(
//!     br#"{"errcode":"M_UNKNOWN","error":"The requested delay exceeds the allowed maximum.",
//!         "org.matrix.msc4140.errcode":"M_MAX_DELAY_EXCEEDED","org.matrix.msc4140.max_delay":3600000}"#
//!         .to_vec(),
//! );
//! *too_long.status_mut() = http::StatusCode::BAD_REQUEST;
//! let error = call.outcome(&too_long).unwrap_err();
//! assert_eq!(error.kind(), &ErrorKind::DelayTooLong { max_delay_ms: Some(3_600_000) });
//! let reply = request.reply_error(error);
//! assert!(reply.contains(r#""org.matrix.msc4140.max_delay":3600000"#));
//!
//! // Later the widget restarts the timer: the split form first, the body form on M_UNRECOGNIZED.
//! let text = r#"{"api":"fromWidget","widgetId":"w1","requestId":"r2",
//!   "action":"org.matrix.msc4157.update_delayed_event","data":{"delay_id":"syd_abc","action":"restart"}}"#;
//! let HostMessage::Request(update) = decode_host(text)? else { panic!("a request") };
//! assert!(permissions.check(&update, &context).is_ok());
//! let FromWidgetRequest::UpdateDelayedEvent(update) = update else { panic!("an update_delayed_event request") };
//! let (http_request, call) = server.update_delayed_event(update.data(), UpdateForm::Split)?;
//! assert_eq!(
//!     http_request.uri(),
//!     "https://matrix.example.org/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_abc/restart",
//! );
//! let mut http_response = http::Response::new(br#"{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}"#.to_vec());
//! *http_response.status_mut() = http::StatusCode::NOT_FOUND;
//! let (call, http_response) = if call.should_retry_with_body_form(&http_response) {
//!     let (http_request, call) = server.update_delayed_event(update.data(), UpdateForm::Body)?;
//!     assert_eq!(http_request.body(), br#"{"action":"restart"}"#);
//!     (call, http::Response::new(b"{}".to_vec())) // the server's answer to the retry
//! } else {
//!     (call, http_response)
//! };
//! let reply = match call.outcome(&http_response) {
//!     Ok(empty) => update.reply(&empty),
//!     Err(error) => update.reply_error(error),
//! };
//! assert!(reply.ends_with(r#","response":{}}"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The wire shape of each era
//!
//! MSC4140 has changed shape while servers kept the older one, so a host has to know which
//! one its server speaks ([`Era`]) and under which names ([`Prefix`]); together they are a
//! [`Surface`].
//!
//! **Query-parameter era ([`Surface::DEPLOYED`]).** What Synapse, matrix-js-sdk and Element
//! speak today. A delayed event goes to the ordinary endpoints with the delay as a query
//! parameter and the event content, unchanged, as the body:
//!
//! - `PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}?org.matrix.msc4140.delay={ms}`
//! - `PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}?org.matrix.msc4140.delay={ms}`
//!
//! The answer is `{"delay_id": …}` instead of `{"event_id": …}`. The stable parameter name
//! is `delay` on the same paths; no server is known to read it, and [`detect`] never picks
//! it (pin it with `Surface::new(Era::QueryParameter, Prefix::Stable)`).
//!
//! **Dedicated-endpoint era ([`Surface::LATEST_UNSTABLE`], [`Surface::STABLE`]).** The latest
//! MSC4140 text has its own endpoint, for message and state events alike, always with a
//! transaction ID; the body wraps the content:
//!
//! - unstable `PUT /_matrix/client/unstable/org.matrix.msc4140/rooms/{roomId}/delayed_event/{eventType}/{txnId}`
//! - stable `PUT /_matrix/client/v3/rooms/{roomId}/delayed_event/{eventType}/{txnId}`
//! - body `{"delay_ms": ms, "delay": ms, "state_key": …, "content": {…}}` (`state_key` only
//!   for a state event; the content is copied byte for byte). The delay is under both
//!   names (wire decision 32): the latest text reads `delay_ms`, ruma and the servers built
//!   on it (the conduwuit family, tuwunel) read `delay`, and each ignores the other.
//!
//! No server is known to serve the unstable dedicated endpoint by default: Synapse has no
//! `delayed_event` route. A host that pins [`Surface::LATEST_UNSTABLE`] retries an
//! `M_UNRECOGNIZED` answer with the query parameter
//! ([`SendEventCall::should_retry_with_query_parameter`],
//! [`Homeserver::send_event_with_query_parameter`]), never with a plain send, which would
//! publish the event at once.
//!
//! **Updates, both eras.** `POST …/delayed_events/{delayId}/{cancel|restart|send}` with body
//! `{}` under `/_matrix/client/unstable/org.matrix.msc4140` (unstable) or
//! `/_matrix/client/v1` (stable), answered with `{}`. Synapse serves this split form since
//! 1.143 (under the unstable prefix), beside the older text's body form,
//! `POST …/delayed_events/{delayId}` with body `{"action": …}`, which is all that older
//! Synapse releases serve; they answer the split form with `M_UNRECOGNIZED`, and that, and
//! only that, is the signal to retry in the body form
//! ([`UpdateCall::should_retry_with_body_form`]). MSC4157's `refresh` is sent as `restart`,
//! the word every MSC4140 revision uses.
//!
//! **Sticky events (MSC4354, for MSC4407).** A message event's `sticky_duration_ms` is sent
//! as the query parameter `org.matrix.msc4354.sticky_duration_ms={ms}` on the same URL, delayed
//! or not, as matrix-js-sdk does on `/send`; on the dedicated endpoint it is the same query
//! parameter (as ruma does; no text defines it there). A duration of `0` is sent as an
//! ordinary event, as the reference host does. A server without MSC4354 ignores the
//! parameter and sends a non-sticky event: a host that cares must check its
//! `org.matrix.msc4354` flag itself. State events cannot be sticky.
//!
//! **Never sent.** `parent_delay_id`, in any spelling (no MSC4140 revision defines it and no
//! server implements it), and any field of the widget's data this crate does not know.
//!
//! **Path segments.** Room IDs, event types, transaction IDs, state keys and delay IDs are
//! percent-encoded as one path segment each: everything but letters, digits and `-._~` is
//! escaped (so `!room:example.org` becomes `%21room%3Aexample.org`). Empty values are
//! refused except a state key (the empty state key is the common one, and `/state/{type}/`
//! is how the specification spells it), and so are `.` and `..`, which URL libraries would
//! resolve into another endpoint. Event types, room IDs, redacted event IDs and delay IDs
//! over [`MAX_ID_BYTES`] (255, the specification's cap) are refused, and so is any request
//! whose URL would be too long to build (a state key of tens of kilobytes): both are
//! [`HttpRequestError::InvalidRequest`], the widget's fault, not the host's configuration.
//!
//! **Redactions.** A widget's `m.room.redaction` that is not delayed, sticky or a state
//! event goes to `PUT /_matrix/client/v3/rooms/{roomId}/redact/{content.redacts}/{txnId}`
//! with the content as the body (wire decision 34), as MSC2762's hosts do; without a string
//! `content.redacts` it is refused. A delayed redaction is a delayed `/send` of
//! `m.room.redaction` (Synapse reads the delay on `/send` and `/state` only).
//!
//! **URLs.** [`Homeserver::new`] takes the base URL and every request's URI is absolute
//! (`https://matrix.example.org/_matrix/…`); with an empty base URL the URIs are only the
//! path and query, for a client that prepends the server itself. Requests carry
//! `Content-Type: application/json` and no other header.
//!
//! # Which era a server speaks
//!
//! See [`detect`] for the rule. In short: `org.matrix.msc4140.stable` → stable dedicated
//! endpoint; `org.matrix.msc4140` → the query-parameter era, with or without the
//! delayed-event capability in `/capabilities` (which gives limits, not an endpoint: Synapse
//! 1.157 advertises it and has no dedicated route); anything else → unsupported, and the
//! host must refuse delayed sends
//! ([`HttpRequestError::Unsupported`]). "Unsupported" is the point: a server without MSC4140
//! ignores the delay parameter and sends the event *at once*. For the same reason a reply
//! with an `event_id` to a delayed request is an error ([`ErrorKind::SentImmediately`]):
//! the event is already in the room.
//!
//! No specification version includes MSC4140 yet, so no version number implies support; the
//! stable names are used only when the server sets `org.matrix.msc4140.stable`.
//!
//! # Errors back to the widget
//!
//! A failed request becomes the widget's error reply with `matrix_api_error` (status,
//! headers a browser would expose, the URL and the Matrix error body with every field kept verbatim), plus an
//! [`ErrorKind`] for the host, whatever revision of MSC4140 the server follows:
//!
//! | the homeserver says | [`ErrorKind`] |
//! |---|---|
//! | (no request) a delay over the advertised `max_delay_ms` | [`HttpRequestError::DelayTooLong`], as 403 `M_FORBIDDEN` below |
//! | 400 `M_MAX_DELAY_EXCEEDED` + `max_delay` | `DelayTooLong` |
//! | 400 `M_UNKNOWN` + `org.matrix.msc4140.errcode: "M_MAX_DELAY_EXCEEDED"` + `org.matrix.msc4140.max_delay` (Synapse) | `DelayTooLong` |
//! | `ORG.MATRIX.MSC4140_MAX_DELAY_EXCEEDED` + `org.matrix.msc4140.max_delay` | `DelayTooLong` |
//! | `M_INVALID_PARAM` on the dedicated endpoint (unless the advertised limit allows the delay) | `DelayTooLong` |
//! | 403 `M_FORBIDDEN` to a delayed send, when the advertised `max_delay_ms` is below the delay, or with Synapse's (1.157+) "The requested delay (…ms) exceeds the allowed maximum (…ms)" | `DelayTooLong` (with the limit) |
//! | 403 `M_FORBIDDEN` to a delayed send, when the advertised limits are `0`, or with Synapse's "Sending delayed events has been disallowed" | `Disabled` |
//! | 400 `M_UNKNOWN` + `org.matrix.msc4140.errcode: "M_MAX_DELAY_UNSUPPORTED"` (Synapse before 1.157, delayed events not configured) | `Disabled` |
//! | 400 `M_MAX_DELAYED_EVENTS_EXCEEDED` (also inside `org.matrix.msc4140.errcode`) | `TooManyScheduled` |
//! | 403 `M_RESOURCE_LIMIT_EXCEEDED`, 429 `M_LIMIT_EXCEEDED` on the dedicated endpoint | `TooManyScheduled` (with `Retry-After`) |
//! | 429 `M_LIMIT_EXCEEDED` + "The maximum number of delayed events has been reached." to a delayed send (Synapse 1.157+) | `TooManyScheduled` (with `Retry-After`) |
//! | 429 `M_LIMIT_EXCEEDED` elsewhere | `RateLimited` (with `Retry-After`) |
//! | 404 `M_NOT_FOUND` | `NotFound` |
//! | 409 (`M_UNKNOWN`) | `Conflict` |
//! | `M_UNRECOGNIZED` (404, 400, 405) | `Unsupported` |
//! | anything else, and bodies that are not Matrix errors | `Other` |
//!
//! A `M_FORBIDDEN` without advertised limits or Synapse's words stays `Other`: it also
//! means "not allowed in this room", and guessing would be worse than saying nothing.
//!
//! `retry_after` comes from `Retry-After` (seconds), else `retry_after_ms`, and is at most
//! [`MAX_RETRY_AFTER`] (a day), so that adding it to an `Instant` cannot overflow.
//!
//! A forwarded body is always one the widget's decoder accepts: a lone surrogate escape
//! (`"\ud800"`), which the decoder refuses, is replaced by `"\ufffd"`, and a body over
//! 64 KiB or nested deeper than 32 levels is not forwarded (the message alone is sent, as
//! for a body that is not a Matrix error).
//!
//! # ruma
//!
//! There is no conversion to ruma's request types, on purpose. `ruma-client-api` 0.25 has
//! MSC4140 types (feature `unstable-msc4140`), but only under unstable paths (no stable
//! `/v1/delayed_events` or `/v3/…/delayed_event`, no stable `delay` parameter); its
//! dedicated-endpoint request sends the body field `delay`, where the latest text says
//! `delay_ms`; and it wants validated identifiers (`OwnedRoomId`, `OwnedTransactionId`,
//! `TimelineEventType`), a second validation that widget data would have to pass for no
//! gain on the wire. It would also bring about seventy crates into a workspace of about
//! twenty (ruma's macros, `regex`, `url` with the ICU tables, `time`, `toml_edit`): a cold
//! build of it alone takes about two minutes of one core, paid twice by CI's clippy and test
//! runs with every feature. A host built on ruma sends the [`http::Request`]s made here with
//! its HTTP client like any other request; nothing needs converting.

mod era;
mod path;
mod request;
mod response;

pub use era::{
    CAPABILITY, DetectError, Era, Prefix, STABLE_FLAG, ServerLimits, Support, Surface, UNSTABLE_CAPABILITY, UNSTABLE_FLAG, detect,
};
pub use request::{Homeserver, HttpRequestError, MAX_ID_BYTES, UpdateForm};
pub use response::{ErrorKind, HomeserverError, MAX_RETRY_AFTER, SendEventCall, UpdateCall};
