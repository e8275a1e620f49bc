// For every action, in both directions: our request and response payload types and
// matrix-widget-api 1.19's exported interfaces are assignable to each other, except for the
// differences decided on purpose (D1…; listed with their reasons in schemas/README.md, whose
// table xtask's tests keep in sync with the ids used here).
//
// The table is total: xtask's tests fail when a payload type of schemas/widget-api.d.ts is not
// in it. An action this version does not type yet has an open payload
// (`{ [key: string]: unknown }`): its row is compiled (both names must exist) but compares
// nothing until the type lands; then it becomes a real check, and a failing row names itself.
import type {
    ErrorResponseData,
    FromWidgetCloseModalRequestData,
    FromWidgetCloseModalResponseData,
    FromWidgetContentLoadedRequestData,
    FromWidgetContentLoadedResponseData,
    FromWidgetDownloadFileRequestData,
    FromWidgetDownloadFileResponseData,
    FromWidgetGetMediaConfigRequestData,
    FromWidgetGetMediaConfigResponseData,
    FromWidgetGetOpenIdRequestData,
    FromWidgetGetOpenIdResponseData,
    FromWidgetGetRtcTransportsRequestData,
    FromWidgetGetRtcTransportsResponseData,
    FromWidgetNavigateRequestData,
    FromWidgetNavigateResponseData,
    FromWidgetOpenModalRequestData,
    FromWidgetOpenModalResponseData,
    FromWidgetReadEventsRequestData,
    FromWidgetReadEventsResponseData,
    FromWidgetReadRelationsRequestData,
    FromWidgetReadRelationsResponseData,
    FromWidgetReadRoomAccountDataRequestData,
    FromWidgetReadRoomAccountDataResponseData,
    FromWidgetRequestCapabilitiesRequestData,
    FromWidgetRequestCapabilitiesResponseData,
    FromWidgetRtcLivekitDelegateDelayedLeaveRequestData,
    FromWidgetRtcLivekitDelegateDelayedLeaveResponseData,
    FromWidgetRtcLivekitGetTokenRequestData,
    FromWidgetRtcLivekitGetTokenResponseData,
    FromWidgetSendEventRequestData,
    FromWidgetSendEventResponseData,
    FromWidgetSendToDeviceRequestData,
    FromWidgetSendToDeviceResponseData,
    FromWidgetSetAlwaysOnScreenRequestData,
    FromWidgetSetAlwaysOnScreenResponseData,
    FromWidgetSetButtonEnabledRequestData,
    FromWidgetSetButtonEnabledResponseData,
    FromWidgetStickerRequestData,
    FromWidgetStickerResponseData,
    FromWidgetSupportedApiVersionsRequestData,
    FromWidgetSupportedApiVersionsResponseData,
    FromWidgetUnwatchTurnServersRequestData,
    FromWidgetUnwatchTurnServersResponseData,
    FromWidgetUpdateDelayedEventRequestData,
    FromWidgetUpdateDelayedEventResponseData,
    FromWidgetUploadFileRequestData,
    FromWidgetUploadFileResponseData,
    FromWidgetUserDirectorySearchRequestData,
    FromWidgetUserDirectorySearchResponseData,
    FromWidgetWatchTurnServersRequestData,
    FromWidgetWatchTurnServersResponseData,
    ToWidgetButtonClickedRequestData,
    ToWidgetButtonClickedResponseData,
    ToWidgetCapabilitiesRequestData,
    ToWidgetCapabilitiesResponseData,
    ToWidgetCloseModalRequestData,
    ToWidgetCloseModalResponseData,
    ToWidgetLanguageChangeRequestData,
    ToWidgetLanguageChangeResponseData,
    ToWidgetNotifyCapabilitiesRequestData,
    ToWidgetNotifyCapabilitiesResponseData,
    ToWidgetOpenIdCredentialsRequestData,
    ToWidgetOpenIdCredentialsResponseData,
    ToWidgetScreenshotRequestData,
    ToWidgetScreenshotResponseData,
    ToWidgetSendEventRequestData,
    ToWidgetSendEventResponseData,
    ToWidgetSendToDeviceRequestData,
    ToWidgetSendToDeviceResponseData,
    ToWidgetSupportedApiVersionsRequestData,
    ToWidgetSupportedApiVersionsResponseData,
    ToWidgetThemeChangeRequestData,
    ToWidgetThemeChangeResponseData,
    ToWidgetUpdateStateRequestData,
    ToWidgetUpdateStateResponseData,
    ToWidgetUpdateTurnServersRequestData,
    ToWidgetUpdateTurnServersResponseData,
    ToWidgetVisibilityRequestData,
    ToWidgetVisibilityResponseData,
    ToWidgetWidgetConfigRequestData,
    ToWidgetWidgetConfigResponseData,
} from "@matrix-widget-api-rs/schemas";
import type {
    ICapabilitiesActionRequest,
    ICapabilitiesActionResponse,
    IContentLoadedActionRequest,
    IContentLoadedActionResponse,
    IDownloadFileActionFromWidgetActionRequest,
    IDownloadFileActionFromWidgetActionResponse,
    IGetMediaConfigActionFromWidgetActionRequest,
    IGetMediaConfigActionFromWidgetActionResponse,
    IGetOpenIDActionRequest,
    IGetOpenIDActionResponse,
    ILanguageChangeActionRequest,
    ILanguageChangeActionResponse,
    IModalWidgetButtonClickedRequest,
    IModalWidgetButtonClickedResponse,
    IModalWidgetCloseNotificationRequest,
    IModalWidgetCloseNotificationResponse,
    IModalWidgetCloseRequest,
    IModalWidgetCloseResponse,
    IModalWidgetOpenRequest,
    IModalWidgetOpenResponse,
    INavigateActionRequest,
    INavigateActionResponse,
    INotifyCapabilitiesActionRequest,
    INotifyCapabilitiesActionResponse,
    IOpenIDCredentialsActionRequest,
    IOpenIDCredentialsIDActionResponse,
    IReadEventFromWidgetActionRequest,
    IReadEventFromWidgetActionResponse,
    IReadRelationsFromWidgetActionRequest,
    IReadRelationsFromWidgetActionResponse,
    IRenegotiateCapabilitiesActionRequest,
    IRtcLivekitDelegateDelayedLeaveFromWidgetActionRequest,
    IRtcLivekitDelegateDelayedLeaveFromWidgetActionResponse,
    IRtcLivekitGetTokenFromWidgetActionRequest,
    IRtcLivekitGetTokenFromWidgetActionResponse,
    IRtcTransportsFromWidgetActionRequest,
    IRtcTransportsFromWidgetActionResponse,
    IScreenshotActionRequest,
    IScreenshotActionResponse,
    ISendEventFromWidgetActionRequest,
    ISendEventFromWidgetActionResponse,
    ISendEventToWidgetActionRequest,
    ISendEventToWidgetActionResponse,
    ISendToDeviceFromWidgetActionRequest,
    ISendToDeviceFromWidgetActionResponse,
    ISendToDeviceToWidgetActionRequest,
    ISendToDeviceToWidgetActionResponse,
    ISetModalButtonEnabledActionRequest,
    ISetModalButtonEnabledActionResponse,
    IStickerActionRequest,
    IStickerActionResponse,
    IStickyActionRequest,
    IStickyActionResponse,
    ISupportedVersionsActionRequest,
    ISupportedVersionsActionResponse,
    IThemeChangeActionRequest,
    IThemeChangeActionResponse,
    IUnwatchTurnServersRequest,
    IUnwatchTurnServersResponse,
    IUpdateDelayedEventFromWidgetActionRequest,
    IUpdateDelayedEventFromWidgetActionResponse,
    IUpdateStateToWidgetActionRequest,
    IUpdateStateToWidgetActionResponse,
    IUpdateTurnServersRequest,
    IUpdateTurnServersResponse,
    IUploadFileActionFromWidgetActionRequest,
    IUploadFileActionFromWidgetActionResponse,
    IVisibilityActionRequest,
    IVisibilityActionResponse,
    IWatchTurnServersRequest,
    IWatchTurnServersResponse,
    IWidgetApiAcknowledgeResponseData,
    IWidgetConfigRequest,
    IWidgetConfigResponse,
    UpdateDelayedEventAction,
    IWidgetApiErrorResponseData,
} from "matrix-widget-api";
// Not re-exported by the package's index (1.19), so imported from their modules.
import type {
    IReadRoomAccountDataFromWidgetActionRequest,
    IReadRoomAccountDataFromWidgetActionResponse,
} from "matrix-widget-api/lib/interfaces/ReadRoomAccountDataAction";
import type {
    IUserDirectorySearchFromWidgetActionRequest,
    IUserDirectorySearchFromWidgetActionResponse,
} from "matrix-widget-api/lib/interfaces/UserDirectorySearchAction";

/** Their interfaces all carry `[key: string]: unknown`; compare the declared fields. */
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
/** D1: our optional fields also accept `null`, which reads as absent (at every depth). */
type WithoutNull<T> = T extends String ? T : T extends object ? { [K in keyof T]: WithoutNull<Exclude<T[K], null>> } : T;
/**
 * D5: their TypeScript `enum`s are compared by their values (`${Enum}`), at every depth.
 * D6: their bare `object` (free-form JSON objects) is compared as `{ [key: string]: unknown }`.
 */
type Values<T> = T extends string
    ? `${T}`
    : T extends object
      ? [keyof T] extends [never]
          ? { [key: string]: unknown }
          : { [K in keyof T]: Values<T[K]> }
      : T;
/** An open payload: an action not typed yet (or one without fields). */
type IsOpen<T> = string extends keyof T ? true : false;

/** D8: a room event as this crate emits it: `unsigned` is always written (it is optional on input). */
type AsEmitted<T> = T extends String
    ? T
    : T extends readonly (infer E)[]
      ? AsEmitted<E>[]
      : T extends object
        ? "origin_server_ts" extends keyof T
            ? { [K in keyof T]: AsEmitted<T[K]> } & { unsigned: Exclude<T[keyof T & "unsigned"], null | undefined> }
            : { [K in keyof T]: AsEmitted<T[K]> }
        : T;
type OursToTheirs<Ours, Theirs> = [WithoutNull<AsEmitted<Ours>>] extends [Values<Known<Theirs>>] ? "ok" : "ours is not assignable to theirs";
type TheirsToOurs<Ours, Theirs> = [Values<Known<Theirs>>] extends [Ours] ? "ok" : "theirs is not assignable to ours";
type Mutual<Ours, Theirs> =
    IsOpen<Ours> extends true ? "ok" : OursToTheirs<Ours, Theirs> extends "ok" ? TheirsToOurs<Ours, Theirs> : OursToTheirs<Ours, Theirs>;
/** Every value of their TypeScript enum is a value of our string-literal union. */
type EnumValuesIn<Enum extends string, Ours> = [`${Enum}`] extends [Ours] ? "ok" : "an enum value is missing";

type Checks = {
    "fromWidget supported_api_versions request": Mutual<FromWidgetSupportedApiVersionsRequestData, ISupportedVersionsActionRequest["data"]>;
    "fromWidget supported_api_versions response": Mutual<FromWidgetSupportedApiVersionsResponseData, ISupportedVersionsActionResponse["response"]>;
    "fromWidget content_loaded request": Mutual<FromWidgetContentLoadedRequestData, IContentLoadedActionRequest["data"]>;
    "fromWidget content_loaded response": Mutual<FromWidgetContentLoadedResponseData, IContentLoadedActionResponse["response"]>;
    "fromWidget m.sticker request": Mutual<FromWidgetStickerRequestData, IStickerActionRequest["data"]>;
    "fromWidget m.sticker response": Mutual<FromWidgetStickerResponseData, IStickerActionResponse["response"]>;
    "fromWidget set_always_on_screen request": Mutual<FromWidgetSetAlwaysOnScreenRequestData, IStickyActionRequest["data"]>;
    "fromWidget set_always_on_screen response": Mutual<FromWidgetSetAlwaysOnScreenResponseData, IStickyActionResponse["response"]>;
    "fromWidget get_openid request": Mutual<FromWidgetGetOpenIdRequestData, IGetOpenIDActionRequest["data"]>;
    "fromWidget get_openid response": Mutual<FromWidgetGetOpenIdResponseData, IGetOpenIDActionResponse["response"]>;
    // The `response` of an error reply, either direction.
    "error response": TheirsToOurs<ErrorResponseData, IWidgetApiErrorResponseData>;
    // Ours reads `http_headers` and `url` as optional and header values as any JSON (kept
    // verbatim); theirs requires both and types header values as strings. Hosts still emit
    // both (`{}` and `""` when unknown), so the rest of the error is compared.
    "error response, ours to theirs": OursToTheirs<Omit<ErrorResponseData, "error"> & { error: Omit<ErrorResponseData["error"], "matrix_api_error"> }, IWidgetApiErrorResponseData>;
    "fromWidget close_modal request": Mutual<FromWidgetCloseModalRequestData, IModalWidgetCloseRequest["data"]>;
    "fromWidget close_modal response": Mutual<FromWidgetCloseModalResponseData, IModalWidgetCloseResponse["response"]>;
    "fromWidget open_modal request": Mutual<FromWidgetOpenModalRequestData, IModalWidgetOpenRequest["data"]>;
    "fromWidget open_modal response": Mutual<FromWidgetOpenModalResponseData, IModalWidgetOpenResponse["response"]>;
    "fromWidget set_button_enabled request": Mutual<FromWidgetSetButtonEnabledRequestData, ISetModalButtonEnabledActionRequest["data"]>;
    "fromWidget set_button_enabled response": Mutual<FromWidgetSetButtonEnabledResponseData, ISetModalButtonEnabledActionResponse["response"]>;
    // D1, D2: `content` is an object, theirs `unknown`
    "fromWidget send_event request": Mutual<Omit<FromWidgetSendEventRequestData, "content">, Omit<Known<ISendEventFromWidgetActionRequest["data"]>, "content">>;
    // D1, D3: with `room_id`, as we always emit it; theirs has no exactly-one-of
    "fromWidget send_event response": OursToTheirs<FromWidgetSendEventResponseData & { room_id: string }, ISendEventFromWidgetActionResponse["response"]>;
    "fromWidget send_to_device request": Mutual<FromWidgetSendToDeviceRequestData, ISendToDeviceFromWidgetActionRequest["data"]>;
    "fromWidget send_to_device response": Mutual<FromWidgetSendToDeviceResponseData, ISendToDeviceFromWidgetActionResponse["response"]>;
    "fromWidget watch_turn_servers request": Mutual<FromWidgetWatchTurnServersRequestData, IWatchTurnServersRequest["data"]>;
    "fromWidget watch_turn_servers response": Mutual<FromWidgetWatchTurnServersResponseData, IWatchTurnServersResponse["response"]>;
    "fromWidget unwatch_turn_servers request": Mutual<FromWidgetUnwatchTurnServersRequestData, IUnwatchTurnServersRequest["data"]>;
    "fromWidget unwatch_turn_servers response": Mutual<FromWidgetUnwatchTurnServersResponseData, IUnwatchTurnServersResponse["response"]>;
    // D1, D7: `state_key` is a string or `true`; `false` is refused
    "fromWidget read_events request": Mutual<Omit<FromWidgetReadEventsRequestData, "state_key">, Omit<Known<IReadEventFromWidgetActionRequest["data"]>, "state_key">> | OursToTheirs<Pick<FromWidgetReadEventsRequestData, "state_key">, Pick<Known<IReadEventFromWidgetActionRequest["data"]>, "state_key">>;
    "fromWidget read_events response": Mutual<FromWidgetReadEventsResponseData, IReadEventFromWidgetActionResponse["response"]>;
    "fromWidget navigate request": Mutual<FromWidgetNavigateRequestData, INavigateActionRequest["data"]>;
    "fromWidget navigate response": Mutual<FromWidgetNavigateResponseData, INavigateActionResponse["response"]>;
    // D9: `capabilities` is optional on input (a missing list reads as empty) and always emitted
    "fromWidget request_capabilities request": Mutual<Required<FromWidgetRequestCapabilitiesRequestData>, IRenegotiateCapabilitiesActionRequest["data"]> | TheirsToOurs<FromWidgetRequestCapabilitiesRequestData, IRenegotiateCapabilitiesActionRequest["data"]>;
    // widget-api's reply interface declares no `response`: an acknowledgement
    "fromWidget request_capabilities response": Mutual<FromWidgetRequestCapabilitiesResponseData, IWidgetApiAcknowledgeResponseData>;
    "fromWidget read_relations request": Mutual<FromWidgetReadRelationsRequestData, IReadRelationsFromWidgetActionRequest["data"]>;
    "fromWidget read_relations response": Mutual<FromWidgetReadRelationsResponseData, IReadRelationsFromWidgetActionResponse["response"]>;
    "fromWidget user_directory_search request": Mutual<FromWidgetUserDirectorySearchRequestData, IUserDirectorySearchFromWidgetActionRequest["data"]>;
    "fromWidget user_directory_search response": Mutual<FromWidgetUserDirectorySearchResponseData, IUserDirectorySearchFromWidgetActionResponse["response"]>;
    "fromWidget get_media_config request": Mutual<FromWidgetGetMediaConfigRequestData, IGetMediaConfigActionFromWidgetActionRequest["data"]>;
    "fromWidget get_media_config response": Mutual<FromWidgetGetMediaConfigResponseData, IGetMediaConfigActionFromWidgetActionResponse["response"]>;
    // D10: `file` is the JSON a structured-clone value becomes, not a browser type
    "fromWidget upload_file request": Mutual<Omit<FromWidgetUploadFileRequestData, "file">, Omit<Known<IUploadFileActionFromWidgetActionRequest["data"]>, "file">>;
    "fromWidget upload_file response": Mutual<FromWidgetUploadFileResponseData, IUploadFileActionFromWidgetActionResponse["response"]>;
    "fromWidget download_file request": Mutual<FromWidgetDownloadFileRequestData, IDownloadFileActionFromWidgetActionRequest["data"]>;
    // D10: `file` is the JSON a structured-clone value becomes, not a browser type
    "fromWidget download_file response": Mutual<Omit<FromWidgetDownloadFileResponseData, "file">, Omit<Known<IDownloadFileActionFromWidgetActionResponse["response"]>, "file">>;
    // D1, D4: their enum's values are all ours; ours adds `refresh`
    "fromWidget update_delayed_event request": Mutual<Omit<FromWidgetUpdateDelayedEventRequestData, "action">, Omit<Known<IUpdateDelayedEventFromWidgetActionRequest["data"]>, "action">> | EnumValuesIn<UpdateDelayedEventAction, FromWidgetUpdateDelayedEventRequestData["action"]>;
    "fromWidget update_delayed_event response": Mutual<FromWidgetUpdateDelayedEventResponseData, IUpdateDelayedEventFromWidgetActionResponse["response"]>;
    "fromWidget read_room_account_data request": Mutual<FromWidgetReadRoomAccountDataRequestData, IReadRoomAccountDataFromWidgetActionRequest["data"]>;
    "fromWidget read_room_account_data response": Mutual<FromWidgetReadRoomAccountDataResponseData, IReadRoomAccountDataFromWidgetActionResponse["response"]>;
    "fromWidget get_rtc_transports request": Mutual<FromWidgetGetRtcTransportsRequestData, IRtcTransportsFromWidgetActionRequest["data"]>;
    "fromWidget get_rtc_transports response": Mutual<FromWidgetGetRtcTransportsResponseData, IRtcTransportsFromWidgetActionResponse["response"]>;
    "fromWidget rtc_livekit_get_token request": Mutual<FromWidgetRtcLivekitGetTokenRequestData, IRtcLivekitGetTokenFromWidgetActionRequest["data"]>;
    "fromWidget rtc_livekit_get_token response": Mutual<FromWidgetRtcLivekitGetTokenResponseData, IRtcLivekitGetTokenFromWidgetActionResponse["response"]>;
    "fromWidget rtc_livekit_delegate_delayed_leave request": Mutual<FromWidgetRtcLivekitDelegateDelayedLeaveRequestData, IRtcLivekitDelegateDelayedLeaveFromWidgetActionRequest["data"]>;
    "fromWidget rtc_livekit_delegate_delayed_leave response": Mutual<FromWidgetRtcLivekitDelegateDelayedLeaveResponseData, IRtcLivekitDelegateDelayedLeaveFromWidgetActionResponse["response"]>;
    "toWidget supported_api_versions request": Mutual<ToWidgetSupportedApiVersionsRequestData, ISupportedVersionsActionRequest["data"]>;
    "toWidget supported_api_versions response": Mutual<ToWidgetSupportedApiVersionsResponseData, ISupportedVersionsActionResponse["response"]>;
    "toWidget capabilities request": Mutual<ToWidgetCapabilitiesRequestData, ICapabilitiesActionRequest["data"]>;
    "toWidget capabilities response": Mutual<ToWidgetCapabilitiesResponseData, ICapabilitiesActionResponse["response"]>;
    "toWidget notify_capabilities request": Mutual<ToWidgetNotifyCapabilitiesRequestData, INotifyCapabilitiesActionRequest["data"]>;
    "toWidget notify_capabilities response": Mutual<ToWidgetNotifyCapabilitiesResponseData, INotifyCapabilitiesActionResponse["response"]>;
    "toWidget theme_change request": Mutual<ToWidgetThemeChangeRequestData, IThemeChangeActionRequest["data"]>;
    "toWidget theme_change response": Mutual<ToWidgetThemeChangeResponseData, IThemeChangeActionResponse["response"]>;
    "toWidget language_change request": Mutual<ToWidgetLanguageChangeRequestData, ILanguageChangeActionRequest["data"]>;
    "toWidget language_change response": Mutual<ToWidgetLanguageChangeResponseData, ILanguageChangeActionResponse["response"]>;
    "toWidget screenshot request": Mutual<ToWidgetScreenshotRequestData, IScreenshotActionRequest["data"]>;
    // D10: `screenshot` is the JSON a structured-clone value becomes, not a browser type
    "toWidget screenshot response": Mutual<Omit<ToWidgetScreenshotResponseData, "screenshot">, Omit<Known<IScreenshotActionResponse["response"]>, "screenshot">>;
    "toWidget visibility request": Mutual<ToWidgetVisibilityRequestData, IVisibilityActionRequest["data"]>;
    "toWidget visibility response": Mutual<ToWidgetVisibilityResponseData, IVisibilityActionResponse["response"]>;
    // D11: `state` is `allowed` or `blocked` only; theirs reuses the three-state enum
    "toWidget openid_credentials request": OursToTheirs<ToWidgetOpenIdCredentialsRequestData, IOpenIDCredentialsActionRequest["data"]> | TheirsToOurs<Omit<ToWidgetOpenIdCredentialsRequestData, "state">, Omit<Known<IOpenIDCredentialsActionRequest["data"]>, "state">>;
    "toWidget openid_credentials response": Mutual<ToWidgetOpenIdCredentialsResponseData, IOpenIDCredentialsIDActionResponse["response"]>;
    "toWidget widget_config request": Mutual<ToWidgetWidgetConfigRequestData, IWidgetConfigRequest["data"]>;
    "toWidget widget_config response": Mutual<ToWidgetWidgetConfigResponseData, IWidgetConfigResponse["response"]>;
    "toWidget close_modal request": Mutual<ToWidgetCloseModalRequestData, IModalWidgetCloseNotificationRequest["data"]>;
    "toWidget close_modal response": Mutual<ToWidgetCloseModalResponseData, IModalWidgetCloseNotificationResponse["response"]>;
    "toWidget button_clicked request": Mutual<ToWidgetButtonClickedRequestData, IModalWidgetButtonClickedRequest["data"]>;
    "toWidget button_clicked response": Mutual<ToWidgetButtonClickedResponseData, IModalWidgetButtonClickedResponse["response"]>;
    "toWidget send_event request": Mutual<ToWidgetSendEventRequestData, ISendEventToWidgetActionRequest["data"]>;
    "toWidget send_event response": Mutual<ToWidgetSendEventResponseData, ISendEventToWidgetActionResponse["response"]>;
    // Ours reads `encrypted` as optional (matrix-sdk ≤ 0.18 sends none; wire decision 36) and always emits it.
    "toWidget send_to_device request": Mutual<Omit<ToWidgetSendToDeviceRequestData, "encrypted"> & { encrypted: boolean }, ISendToDeviceToWidgetActionRequest["data"]>;
    "toWidget send_to_device response": Mutual<ToWidgetSendToDeviceResponseData, ISendToDeviceToWidgetActionResponse["response"]>;
    "toWidget update_state request": Mutual<ToWidgetUpdateStateRequestData, IUpdateStateToWidgetActionRequest["data"]>;
    "toWidget update_state response": Mutual<ToWidgetUpdateStateResponseData, IUpdateStateToWidgetActionResponse["response"]>;
    "toWidget update_turn_servers request": Mutual<ToWidgetUpdateTurnServersRequestData, IUpdateTurnServersRequest["data"]>;
    "toWidget update_turn_servers response": Mutual<ToWidgetUpdateTurnServersResponseData, IUpdateTurnServersResponse["response"]>;
};

/** The rows that fail, each with its reason. */
type Failing = { [K in keyof Checks]: Exclude<Checks[K], "ok"> extends never ? never : `${K}: ${Exclude<Checks[K], "ok">}` }[keyof Checks];
/** Compiles only when no row fails; otherwise tsc names a failing row. */
function everyActionAgrees<T extends never>(): void {}
everyActionAgrees<Failing>();
