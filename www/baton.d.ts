// Type declarations for Baton's JS API (dist/baton.mjs, and window.Baton from dist/baton.js).

export type Role = 'customer' | 'ai' | 'agent' | 'system';
export type Delivery = 'queued' | 'sending' | 'sent' | 'failed';

/** One message of the conversation. Text is already redacted (card numbers masked). */
export interface Message {
  /** Position in the conversation, from 0; stable across reloads. */
  id: number;
  role: Role;
  text: string;
  /** Milliseconds since the Unix epoch. */
  at: number;
  /** The agent's display name, for agent messages. */
  author?: string;
  delivery: Delivery;
  [extra: string]: unknown;
}

/** What `state()` returns: the view model the default UI draws. */
export interface State {
  conversationId: string;
  open: boolean;
  /** Messages from the assistant or the team that arrived while the panel was closed (the
   * default UI shows them on the launcher); opening the panel clears it. */
  unread: number;
  /** The assistant is working on an answer. */
  typing: boolean;
  /** A transient line under the transcript (an error to show), if any. */
  notice?: string | null;
  handoff: Handoff;
  messages: Message[];
}

/** Where the handoff to a person stands. */
export interface Handoff {
  stage: 'bot' | 'checking' | 'offered' | 'offline' | 'sending' | 'stuck' | 'queued' | 'with_agent' | 'resolved' | 'left';
  /** For `offered`: ask for consent (`confirm`) or offer self-service first (`choice`). */
  offer?: 'confirm' | 'choice';
  caseNumber?: string;
  position?: number;
  waitSeconds?: number;
  /** "You're #3 in queue · about 6 min". */
  statusText?: string;
  /** When the queue status was last refreshed, ms since the epoch. */
  updatedAt?: number;
  agent?: string;
  /** The wait is long: email or a callback are offered, keeping the place in the queue. */
  longWait: boolean;
  canRequestHuman: boolean;
  /** For `resolved`: the score given. */
  csat?: number;
  /** For `resolved`: the rating question is open (not once answered, nor when the team closed
   * the request before anyone joined). */
  canRate: boolean;
}

export interface Decision {
  action: 'none' | 'offer' | 'escalate' | 'decline_with_choice';
  type: 'proactive' | 'customer_requested' | 'emergency';
  priority: 'low' | 'medium' | 'high' | 'critical';
  reasons: { code: string; evidence: string }[];
}

/** The customer, as the host page knows them (everything optional; unknown fields are an error). */
export interface Customer {
  name?: string;
  email?: string;
  accountId?: string;
  accountStatus?: string;
  /** Plan or tier, e.g. "enterprise"; VIP tiers escalate. */
  tier?: string;
  /** Lifetime value in minor units of the site's currency (cents). */
  lifetimeValue?: number;
  /** When they became a customer, as you format it (e.g. "2021-03-04"). */
  customerSince?: string;
  /** Earlier support tickets or chats. */
  previousInteractions?: number;
}

export type EventName =
  | 'ready' | 'message' | 'decision' | 'offer' | 'escalated' | 'queue'
  | 'agent_joined' | 'resolved' | 'csat' | 'error';

export interface EventMap {
  ready: { type: 'ready'; conversation_id: string; restored: boolean };
  message: { type: 'message'; message: Message };
  decision: { type: 'decision'; decision: Decision };
  /** `style`: `confirm`, `choice` or `offline`; `wait_seconds` absent when unknown. */
  offer: { type: 'offer'; style: 'confirm' | 'choice' | 'offline'; wait_seconds?: number };
  escalated: { type: 'escalated'; case_id: string; case_number: string };
  queue: { type: 'queue'; position?: number; wait_seconds?: number };
  agent_joined: { type: 'agent_joined'; name: string };
  resolved: { type: 'resolved'; case_id: string };
  csat: { type: 'csat'; score: number };
  error: { type: 'error'; code: string; message: string };
}

/** Every user-facing string can be overridden (keys in camelCase); see docs/embedding.md. */
export interface Strings {
  launcher?: string;
  title?: string;
  close?: string;
  messageLabel?: string;
  placeholder?: string;
  send?: string;
  greeting?: string;
  typing?: string;
  you?: string;
  assistant?: string;
  /** An agent whose name the backend did not give. */
  agent?: string;
  notSent?: string;
  resend?: string;
  /** `{max}` is replaced by the length limit. */
  tooLong?: string;
  botUnavailable?: string;
  [key: string]: string | undefined;
}

export interface Options {
  /** Backend base URL (`https://support.example.com`); default: the page's own origin. */
  endpoint?: string;
  /** Names this widget's conversation in local storage (1-64 of `A-Z a-z 0-9 - _ .`). Default `default`.
   * One widget per site on a page: a second `mount()` for it is refused until the first is destroyed. */
  site?: string;
  /** Language tag; `es*` selects the built-in Spanish, anything else English. Sent with every
   * customer turn to the bot (`locale`), so the backend can answer in it. Default: `navigator.language`. */
  locale?: string;
  /** `auto` (default) follows `prefers-color-scheme`. */
  theme?: 'auto' | 'light' | 'dark';
  /** The launcher's corner. Default `right`. */
  position?: 'right' | 'left';
  /** Open the panel on load. Default false. */
  open?: boolean;
  /** Your product's version, included in the handoff package. */
  productVersion?: string;
  /** Overrides for any of the widget's text. */
  strings?: Strings;
  /** `false`: headless, no DOM; render your own UI from `state()` and the events. Default true. */
  ui?: boolean;
  /** URL of the stylesheet loaded into the widget's shadow root. Default: baton.css beside the script. */
  stylesheet?: string;
  /** Days a stored conversation is kept after its last activity (1-3650). Default 30. */
  retentionDays?: number;
  /** Seconds between queue-position updates while waiting for a person (5-3600). Default 120. */
  pollIntervalSeconds?: number;
  /** Escalation policy settings (see the README). */
  policy?: Record<string, unknown>;
  /** Your own patterns to mask besides card numbers: `#` a digit, `@` a letter, e.g. `###-##-####`. */
  redact?: string[];
  /** Before a proactive handoff is accepted, say what the team will see. Default true. */
  showShared?: boolean;
}

export interface Handle {
  identify(customer: Customer): Handle;
  open(): Handle;
  close(): Handle;
  /** Sends a customer message, as if typed. */
  send(text: string): Handle;
  /** Resends a customer message that failed, by its id. */
  resend(id: number): Handle;
  /** Asks for a person now (as if the customer had asked). */
  requestHuman(): Handle;
  /** Accepts the person the widget offered (`offer` event). */
  acceptOffer(): Handle;
  /** Declines it and keeps chatting with the assistant. */
  declineOffer(): Handle;
  /** Support is offline or the wait is long: reply by email instead. */
  leaveEmail(email: string): Handle;
  /** Support is offline or the wait is long: call back instead. */
  requestCallback(phone: string): Handle;
  /** Retries a handoff whose delivery stopped (the same idempotency key: never a second case). */
  retryHandoff(): Handle;
  /** Answers the satisfaction question after resolution, 1 to 5 (warns when none is open: `state().handoff.canRate`). */
  csat(score: 1 | 2 | 3 | 4 | 5): Handle;
  on<K extends EventName>(event: K, listener: (detail: EventMap[K]) => void): Handle;
  off<K extends EventName>(event: K, listener: (detail: EventMap[K]) => void): Handle;
  /** The current view model (undefined after destroy()). */
  state(): State | undefined;
  /** Whether the conversation is kept in localStorage (false: memory only). */
  isPersistent(): boolean;
  /** Removes the UI, every listener and the timer, and frees the site for another `mount()`. The stored conversation stays. */
  destroy(): void;
}

/** Mounts a widget. Rejects (and logs) with an error naming the option when an option is bad,
 * or when a widget for the same `site` is already mounted on the page. */
export function mount(options?: Options): Promise<Handle>;
/** The widget's version. */
export function version(): Promise<string>;

/** The global from the script tag: a command queue (`Baton('open')`) plus `mount` and `version`. */
export interface BatonGlobal {
  (command: 'mount', options?: Options): Promise<Handle>;
  (command: 'on' | 'off', event: EventName, listener: (detail: any) => void): Promise<Handle>;
  (command: Exclude<keyof Handle, 'on' | 'off'>, ...args: any[]): Promise<unknown>;
  mount: typeof mount;
  version: typeof version;
  /** Calls queued before the script loaded. */
  q?: IArguments[];
}

declare global {
  interface Window {
    Baton: BatonGlobal;
  }
}
