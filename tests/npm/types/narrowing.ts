// Type tests of schemas/widget-api.d.ts, compiled by `tsc -p types` under `strict`. Every
// `@ts-expect-error` line must fail to compile (tsc reports an unused directive otherwise), so
// this file holds both what must compile and what must not.
import type {
    FromWidgetMessage,
    FromWidgetRequest,
    FromWidgetResponse,
    FromWidgetSendEventRequest,
    FromWidgetSendEventRequestData,
    Message,
    ToWidgetCapabilitiesResponseData,
    ToWidgetRequest,
    UnknownFromWidgetActionName,
    UnknownFromWidgetRequest,
} from "@matrix-widget-api-rs/schemas";

declare function use(value: unknown): void;

// ---- Narrowing a direction's requests by `action`.
export function onRequest(request: FromWidgetRequest): void {
    if (request.action === "send_event") {
        const delay: number | null | undefined = request.data.delay;
        const type: string = request.data.type;
        use([delay, type]);
        // @ts-expect-error no other action's fields
        use(request.data.delay_id);
    }
    switch (request.action) {
        case "update_delayed_event":
        case "org.matrix.msc4157.update_delayed_event":
        case "org.matrix.msc4157.update.delayed_event": {
            const action: "cancel" | "restart" | "refresh" | "send" = request.data.action;
            use([action, request.data.delay_id]);
            break;
        }
        case "send_event":
            use(request.data.content);
            break;
        default: {
            // @ts-expect-error `send_event` was handled above
            const sendEvent: FromWidgetSendEventRequest = request;
            use(sendEvent);
        }
    }
    // @ts-expect-error without narrowing, `data` is any action's
    use(request.data.delay);
}

// ---- Unknown actions are typed apart and do not swallow the known ones.
export function onUnknown(request: FromWidgetRequest): void {
    if (request.action === "send_event") {
        // Not `UnknownFromWidgetRequest`: its branded action is not comparable to "send_event".
        const known: FromWidgetSendEventRequest = request;
        use(known);
    }
    const vendor: UnknownFromWidgetRequest = {
        api: "fromWidget",
        widgetId: "w1",
        requestId: "r1",
        action: "io.element.join" as unknown as UnknownFromWidgetActionName,
        data: { audioInput: null },
    };
    const name: string = String(vendor.action);
    use(name);
    const plain = {
        api: "fromWidget",
        widgetId: "w1",
        requestId: "r1",
        action: "io.element.join",
        data: {},
    } as const;
    // @ts-expect-error a plain string is not known to be an unknown action
    const notBranded: UnknownFromWidgetRequest = plain;
    use(notBranded);
}

// ---- Error replies and success replies narrow with `"error" in response`.
export function onReply(reply: FromWidgetResponse): void {
    if (reply.action === "send_event") {
        if ("error" in reply.response) {
            const message: string = reply.response.error.message;
            use(message);
            use(reply.response.error.matrix_api_error?.http_status);
        } else {
            const ids: [string | null | undefined, string | null | undefined] = [reply.response.event_id, reply.response.delay_id];
            use(ids);
            // @ts-expect-error a success reply has no `error`
            use(reply.response.error);
        }
    }
}

// ---- A request or a reply: `response` is absent (or null) on requests.
export function onMessage(message: FromWidgetMessage, any: Message): void {
    if (message.response) {
        const reply: FromWidgetResponse = message;
        use(reply);
    } else {
        const request: FromWidgetRequest = message;
        use(request);
    }
    if (any.api === "toWidget" && !any.response) {
        const request: ToWidgetRequest = any;
        use(request);
    }
}

// ---- Known payloads have no index signature: a misspelled field is an error.
export const delayed: FromWidgetSendEventRequestData = {
    type: "org.matrix.msc3401.call.member",
    content: {},
    state_key: "_@a:b_DEV",
    delay: 8000,
};

export const misspelled: FromWidgetSendEventRequestData = {
    type: "m.room.message",
    content: {},
    // @ts-expect-error `dealy` is not a field of send_event
    dealy: 8000,
};

export const wrongDelayType: FromWidgetSendEventRequestData = {
    type: "m.room.message",
    content: {},
    // @ts-expect-error `delay` is a number of milliseconds
    delay: "8000",
};

// @ts-expect-error `content` is an object
export const contentNotAnObject: FromWidgetSendEventRequestData = { type: "m.room.message", content: "hello" };

// ---- Names: literal unions, template literals for parameterised capabilities.
export const capabilities: ToWidgetCapabilitiesResponseData = {
    capabilities: [
        "org.matrix.msc4157.send.delayed_event",
        "m.send.event:m.room.message#m.text",
        "org.matrix.msc2762.timeline:*",
        "com.example.vendor_capability",
    ],
};
