// Type tests of the runtime's declarations (schemas/index.d.ts): canonical labels narrow a
// `switch`, `isAction` and `withAction` narrow a message, validators are type guards.
import {
    actionOf,
    actions,
    capabilityOf,
    isAction,
    isMessage,
    problem,
    validators,
    versionOf,
    withAction,
} from "@matrix-widget-api-rs/schemas";
import type {
    ActionLabel,
    ActionSpelling,
    CapabilityLabel,
    FromWidgetRequest,
    FromWidgetUpdateDelayedEventRequest,
    Message,
    Problem,
    VersionLabel,
} from "@matrix-widget-api-rs/schemas";

declare function use(value: unknown): void;

// ---- One label per action, whatever the spelling.
export function label(request: FromWidgetRequest): string {
    const action = actionOf(request.action);
    switch (action) {
        case "update_delayed_event":
            return "update";
        case "send_event":
            return "send";
        // @ts-expect-error an unstable spelling is not a label
        case "org.matrix.msc4157.update_delayed_event":
            return "never";
        case undefined:
            return "unknown";
        default: {
            const rest: Exclude<ActionLabel, "update_delayed_event" | "send_event"> = action;
            return rest;
        }
    }
}

// A known spelling's label is known at compile time.
export const legacy: "update_delayed_event" = actionOf("org.matrix.msc4157.update.delayed_event");
export const readEvents: "read_events" = actionOf("org.matrix.msc2876.read_events");
// @ts-expect-error the label of a spelling is that action's, not another's
export const wrong: "send_event" = actionOf("org.matrix.msc2876.read_events");
export const unknown: ActionLabel | undefined = actionOf("io.element.join" as string);
export const spellings: ActionSpelling<"update_delayed_event">[] = [
    "update_delayed_event",
    "org.matrix.msc4157.update_delayed_event",
    "org.matrix.msc4157.update.delayed_event",
];
// @ts-expect-error not a spelling of that action
export const notASpelling: ActionSpelling<"update_delayed_event"> = "send_event";
export const table: readonly string[] = actions.update_delayed_event.legacy;

// ---- Capabilities and versions.
export const capability: CapabilityLabel | undefined = capabilityOf("org.matrix.msc2762.send.event:m.room.message");
export const prefixed: CapabilityLabel = "m.send.event:m.room.message";
// @ts-expect-error an unstable capability spelling is not a label
export const unstableCapability: CapabilityLabel = "org.matrix.msc2762.send.event:m.room.message";
export const version: VersionLabel | undefined = versionOf("0.0.1");

// ---- `isAction` narrows a message to that action's members, in every spelling.
export function delayId(request: FromWidgetRequest): string | undefined {
    if (isAction(request, "update_delayed_event")) {
        const narrowed: FromWidgetUpdateDelayedEventRequest = request;
        return narrowed.data.delay_id;
    }
    // @ts-expect-error not narrowed outside the guard
    use(request.data.delay_id);
    return undefined;
}

// ---- Validators are type guards; a problem is one sentence at one field.
export function check(value: unknown): Message | Problem | null {
    if (isMessage(value)) {
        const message: Message = value;
        return message;
    }
    if (validators.FromWidgetSendEventRequest(value)) {
        const delay: number | null | undefined = value.data.delay;
        use(delay);
    }
    // @ts-expect-error `value` is still unknown here
    use(value.data);
    const found: Problem | null = problem(value);
    const pointer: string | undefined = found?.pointer;
    use(pointer);
    return validators.FromWidgetSendEventRequest.problem(value);
}

// ---- `withAction`: one `switch` narrows the label and the message, whatever the spelling.
export function route(request: FromWidgetRequest): string {
    const { action, message } = withAction(request);
    switch (action) {
        case "update_delayed_event": {
            const narrowed: FromWidgetUpdateDelayedEventRequest = message;
            return narrowed.data.delay_id;
        }
        case "send_event":
            return message.data.type;
        case undefined:
            return String(message.action);
        default:
            // @ts-expect-error only `update_delayed_event` requests have `delay_id`
            return message.data.delay_id;
    }
}
