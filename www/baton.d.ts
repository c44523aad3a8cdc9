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
  /** The assistant is working on an answer. */
  typing: boolean;
  /** A transient line under the transcript (an error to show), if any. */
  notice?: string | null;
  messages: Message[];
  [extra: string]: unknown;
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
  decision: { type: 'decision'; decision: Record<string, unknown> };
  offer: { type: 'offer'; [field: string]: unknown };
  escalated: { type: 'escalated'; [field: string]: unknown };
  queue: { type: 'queue'; [field: string]: unknown };
  agent_joined: { type: 'agent_joined'; [field: string]: unknown };
  resolved: { type: 'resolved'; [field: string]: unknown };
  csat: { type: 'csat'; [field: string]: unknown };
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
  /** Names this widget's conversation in local storage (1-64 of `A-Z a-z 0-9 - _ .`). Default `default`. */
  site?: string;
  /** Language tag; `es*` selects the built-in Spanish, anything else English. Default: `navigator.language`. */
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
  on<K extends EventName>(event: K, listener: (detail: EventMap[K]) => void): Handle;
  off<K extends EventName>(event: K, listener: (detail: EventMap[K]) => void): Handle;
  /** The current view model (undefined after destroy()). */
  state(): State | undefined;
  /** Whether the conversation is kept in localStorage (false: memory only). */
  isPersistent(): boolean;
  /** Removes the UI, every listener and the timer. The stored conversation stays. */
  destroy(): void;
}

/** Mounts a widget. Rejects (and logs) with an error naming the option when an option is bad. */
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
