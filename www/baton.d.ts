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

/** Every user-facing string can be overridden (keys in camelCase, snake_case accepted too); see
 * docs/embedding.md. `{name}` placeholders are filled in; an unknown key or placeholder is an error. */
export interface Strings {
  /**
   * Accessible name of the launcher button; must mention chat. A name, not an action: the
   * button opens and closes the panel, and says which with `aria-expanded` (QA: "Open
   * support chat" while the panel was open).
   * Default: "Support chat"
   */
  launcher?: string;
  /**
   * The launcher's name while messages arrived with the panel closed (`{n}` of them); also
   * said politely to screen readers as they arrive. Must mention chat.
   * Default: "Support chat: {n} unread"
   */
  launcherUnread?: string;
  /** Default: "Support" */
  title?: string;
  /** Default: "Close chat" */
  close?: string;
  /** Default: "Message" */
  messageLabel?: string;
  /** Default: "Type your message…" */
  placeholder?: string;
  /** Default: "Send" */
  send?: string;
  /** Default: "Hi! I'm the support assistant. Ask me anything, and I can bring in a person whenever you want." */
  greeting?: string;
  /** Default: "The assistant is typing…" */
  typing?: string;
  /** Default: "You" */
  you?: string;
  /** Default: "Assistant" */
  assistant?: string;
  /**
   * An agent whose name the backend did not give.
   * Default: "Agent"
   */
  agent?: string;
  /** Default: "Not sent." */
  notSent?: string;
  /** Default: "Resend" */
  resend?: string;
  /**
   * Shown instead of sending a message over the length limit. `{max}`: the limit.
   * Default: "That message is too long. Please keep it to {max} characters or fewer."
   */
  tooLong?: string;
  /** Default: "The assistant couldn't be reached. Your message is kept; you can resend it." */
  botUnavailable?: string;
  /**
   * An email or phone number left for the team that nobody could reply to.
   * Default: "That doesn't look like an email address or a phone number. Please check it."
   */
  badContact?: string;
  /** Default: "Speak to a human" */
  human?: string;
  /** Default: "Connect me" */
  connect?: string;
  /** Default: "Keep chatting" */
  keepChatting?: string;
  /** Default: "Help me here" */
  helpMeHere?: string;
  /**
   * After "Keep chatting", "Help me here" or a typed "no" under an offer.
   * Default: "Okay, let's carry on here. You can still ask for a person at any time."
   */
  carryOn?: string;
  /**
   * A proactive offer. `{why}`: the reason; `{wait}`: a wait sentence.
   * Default: "{why} A person from our team can take over. {wait} Would you like me to connect you?"
   */
  offer?: string;
  /**
   * Decline with a choice, for simple issues. `{wait}`: a wait sentence.
   * Default: "I'd be happy to help you with this directly: it usually takes just a couple of minutes. Would you like me to walk you through it, or would you prefer to talk to our team? {wait}"
   */
  choice?: string;
  /**
   * `{minutes}`: a duration like "about 15 minutes".
   * Default: "The wait is currently {minutes}."
   */
  waitKnown?: string;
  /** Default: "I couldn't check the current wait." */
  waitUnknown?: string;
  /**
   * An immediate handoff. `{why}`: the reason; `{wait}`: a wait sentence.
   * Default: "I'm connecting you with a person now. {why} {wait} You can keep writing here: they will see this whole conversation, so you won't need to repeat anything."
   */
  connecting?: string;
  /**
   * `{case}`: the case number.
   * Default: "You're in the queue. Your case number is {case}."
   */
  queued?: string;
  /**
   * `{email}`: the customer's email.
   * Default: "We've emailed a summary to {email}."
   */
  emailed?: string;
  /**
   * The queue status line. `{position}`, `{minutes}` (short, e.g. "about 6 min").
   * Default: "You're #{position} in queue · {minutes}"
   */
  queueStatus?: string;
  /** Default: "Waiting for an agent…" */
  waiting?: string;
  /**
   * `{time}`: when the status was last refreshed.
   * Default: "Updated {time}"
   */
  updated?: string;
  /** Default: "less than a minute" */
  minutesNone?: string;
  /** Default: "about 1 minute" */
  minutesOne?: string;
  /** Default: "about {n} minutes" */
  minutesMany?: string;
  /** Default: "about {n} min" */
  minutesShort?: string;
  /**
   * Support is closed or nobody is online. `{reopen}`: " We're back at 09:00 UTC." or empty.
   * Default: "Our team isn't available right now.{reopen} Leave your email and we'll reply, or ask us to call you back."
   */
  offline?: string;
  /** Default: " We're back at {time}." */
  reopen?: string;
  /** Default: "The wait is long. You can leave your email or ask for a callback instead, and keep your place in the queue." */
  longWait?: string;
  /** Default: "Your email" */
  emailLabel?: string;
  /** Default: "Your phone number" */
  phoneLabel?: string;
  /** Default: "Email me" */
  emailMe?: string;
  /** Default: "Call me back" */
  callMe?: string;
  /**
   * `{contact}`: the email; `{case}`: the case number.
   * Default: "Thanks! We'll reply to {contact}. Your case number is {case}; anything you write here is added to it."
   */
  leftEmail?: string;
  /** Default: "Thanks! We'll call you at {contact}. Your case number is {case}; anything you write here is added to it." */
  leftCallback?: string;
  /**
   * Sent to the agent when a waiting customer leaves contact details.
   * Default: "Please reply by email to {contact} instead of here."
   */
  contactInsteadEmail?: string;
  /** Default: "Please call me back at {contact} instead." */
  contactInsteadPhone?: string;
  /**
   * `{detail}`: what went wrong, one of the four below.
   * Default: "We couldn't pass your request to our team ({detail}). It's saved, with the whole conversation."
   */
  stuck?: string;
  /** Default: "no connection" */
  failedNetwork?: string;
  /** Default: "no answer in time" */
  failedTimeout?: string;
  /**
   * `{status}`: the HTTP status code.
   * Default: "error {status}"
   */
  failedStatus?: string;
  /** Default: "an unexpected answer" */
  failedReply?: string;
  /** Default: "Try again" */
  retry?: string;
  /**
   * Before consent: what the team will see. `{items}`: the list below, joined.
   * Default: "If you say yes, our team will see {items}."
   */
  shared?: string;
  /** Default: "this conversation" */
  sharedConversation?: string;
  /** Default: "your contact details" */
  sharedIdentity?: string;
  /** Default: "your account details" */
  sharedAccount?: string;
  /** Default: "the page you're on and your browser" */
  sharedPage?: string;
  /** Default: "This conversation with our team has ended." */
  resolved?: string;
  /**
   * The team's "Alex joined", said in the widget's language (`{agent}`: the name).
   * Default: "{agent} joined"
   */
  agentJoined?: string;
  /** Default: "How did our team do? 1 is poor, 5 is excellent." */
  csatQuestion?: string;
  /** Default: "Thanks for your feedback!" */
  csatThanks?: string;
  /**
   * Said when a message to the team made the case more urgent (it moves up the queue).
   * Default: "I've told the team this is urgent."
   */
  toldUrgent?: string;
  /**
   * Accessible name of a rating button. `{n}`: 1 to 5.
   * Default: "{n} out of 5"
   */
  csatScore?: string;
  /** Default: "As you asked, I'm bringing in our team." */
  whyRequest?: string;
  /** Default: "I'm sorry this has been so frustrating." */
  whyEmotion?: string;
  /** Default: "Account security needs a person's attention right away." */
  whySecurity?: string;
  /** Default: "Refunds and charges of this size are handled by our team." */
  whyMoney?: string;
  /** Default: "Exceptions need a person's approval." */
  whyPolicy?: string;
  /** Default: "As a priority customer, you can talk to our team directly." */
  whyVip?: string;
  /** Default: "Legal and privacy requests are handled by our team." */
  whyLegal?: string;
  /** Default: "I'm not confident I've understood your issue." */
  whyLowConfidence?: string;
  /** Default: "I don't seem to be answering your question." */
  whyRepeated?: string;
  /** Default: "The steps I suggested haven't solved it." */
  whyFailed?: string;
  /** Default: "This may need a person's judgement." */
  whyConsider?: string;
  /**
   * What a customer may type to accept an offer ("Would you like me to connect you?"),
   * separated by `|`; compared word for word, ignoring case and punctuation.
   * Default: "yes|yes please|yeah|yep|sure|please do|go ahead|connect me|yes connect me|y"
   */
  answersYes?: string;
  /**
   * What a customer may type to decline an offer.
   * Default: "no|no thanks|no thank you|nope|not now|no need|n"
   */
  answersNo?: string;
  /**
   * The team closed a request nobody had joined yet: said instead of `resolved`, and no
   * rating is asked (there was no conversation with the team to rate).
   * Default: "Our team has closed this request. If you still need help, write here."
   */
  closed?: string;
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
