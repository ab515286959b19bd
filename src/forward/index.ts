export { receiveUpdates, toToolCallEventStream, toUpdateEventStream } from './forward.js';
export type {
  ForwardedErrorInfo,
  ForwardOptions,
  ReceivedUpdate,
  ReceiveUpdatesOptions,
  StreamView,
  ToolCallEventStreamOptions,
  ToolCallView,
} from './forward.js';
