import { EventEmitter } from 'node:events';
import { DisconnectReason } from '@whiskeysockets/baileys';
import type { Db } from '../../src/db/types.ts';
import { markLinked, markLoggedOut } from '../../src/domain/whatsapp/session-store.ts';
import type { Logger } from '../../src/log.ts';
import { type DbAuthState, loadDbAuthState } from './auth-state.ts';
import { phoneFromJid } from './inbound.ts';
import type { SocketFactory, WhatsAppSocket } from './socket.ts';

/**
 * Keeps one WhatsApp socket alive for a session: reconnects at once when WhatsApp asks for a restart,
 * never after a logout (the session is wiped instead), with jittered back-off on everything else, and
 * replaces a socket that stays open but silent. Holds the account's lock while a socket lives, so one
 * account has one socket across every process.
 */

export type Decision = 'restart' | 'logged_out' | 'backoff';

/** What to do after a disconnect with this status code. */
export function decide(code: number | undefined): Decision {
  if (code === DisconnectReason.restartRequired) return 'restart';
  if (code === DisconnectReason.loggedOut || code === DisconnectReason.forbidden) return 'logged_out';
  return 'backoff';
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Exponential with "equal jitter": never zero, never above the cap, and processes restarting together spread out. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export interface HeldLock {
  release(): Promise<void>;
  /** Settles if the lock is lost (its connection dropped): the socket must close, another process may own it now. */
  lost: Promise<void>;
}

export interface AccountLock {
  /** The lock for a session, or null when another process holds it. */
  acquire(session: string): Promise<HeldLock | null>;
}

/** For embedded PGlite, where the data-dir lock already means one process. */
export const singleProcessLock: AccountLock = {
  acquire: async () => ({ release: async () => {}, lost: new Promise<void>(() => {}) }),
};

export type ConnectionStatus = 'stopped' | 'standby' | 'unlinked' | 'connecting' | 'open' | 'logged_out';

export interface DisconnectEvent {
  code: number | undefined;
  decision: Decision;
  /** How long until the next socket; 0 for a restart. */
  delayMs: number;
}

/** Raised into the socket when the watchdog gives up on a silent connection. */
export class SilentConnectionError extends Error {
  override name = 'SilentConnectionError';
  readonly output = { statusCode: DisconnectReason.connectionLost };
}

export interface Interactive {
  onQr(qr: string): void;
  /** With a phone number (digits, country code first), a pairing code is asked for instead of a QR. */
  pairingPhone?: string | undefined;
  onPairingCode?(code: string): void;
}

export interface SupervisorDeps {
  db: Db;
  logger: Logger;
  session: string;
  socketFactory: SocketFactory;
  lock: AccountLock;
  /** No frame for this long while open → the socket is replaced. */
  watchdogMs: number;
  backoff: BackoffPolicy;
  /** How often a standby process tries for the lock. */
  lockRetryMs: number;
  /** A connection open this long counts as stable, and the back-off starts over. */
  stableMs?: number;
  random?: () => number;
  /** Given while linking (`axon whatsapp login`); without it an unlinked session does not connect. */
  interactive?: Interactive | undefined;
  /** Every new socket, for the channel to listen to its messages. */
  onSocket?: (socket: WhatsAppSocket) => void;
  onLoggedOut?: (reason: string) => void | Promise<void>;
}

const statusCodeOf = (error: unknown): number | undefined =>
  (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode as number | undefined;

const REASONS: Record<number, string> = {
  [DisconnectReason.loggedOut]: 'logged out from the phone',
  [DisconnectReason.forbidden]: 'forbidden by WhatsApp (the number may be banned)',
};

export interface WhatsAppConnectionEvents {
  status: [ConnectionStatus];
  disconnect: [DisconnectEvent];
  watchdog: [];
}

export class WhatsAppConnection extends EventEmitter<WhatsAppConnectionEvents> {
  status: ConnectionStatus = 'stopped';
  /** Our number, E.164, once a socket has opened. */
  account: string | undefined;
  /** Our JIDs (phone and LID) while open. */
  ownJids: string[] = [];
  socket: WhatsAppSocket | undefined;

  private readonly deps: SupervisorDeps;
  private readonly baileysLogger: Logger;
  private auth: DbAuthState | undefined;
  private held: HeldLock | undefined;
  private stopping = true;
  private attempt = 0;
  private openedAt = 0;
  private lastFrameAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(deps: SupervisorDeps) {
    super();
    this.deps = deps;
    // Baileys is chatty at info; its warnings and errors are what an operator needs.
    this.baileysLogger = deps.logger.child({ module: 'baileys' }, { level: 'warn' });
  }

  /** Starts supervising; resolves once the first attempt has settled (open, closed, standby, unlinked). */
  async start(): Promise<void> {
    if (!this.stopping) return;
    this.stopping = false;
    const settled = new Promise<void>((resolve) => {
      const onStatus = (s: ConnectionStatus) => {
        if (s === 'connecting') return;
        this.off('status', onStatus);
        resolve();
      };
      this.on('status', onStatus);
      this.once('disconnect', () => {
        this.off('status', onStatus);
        resolve();
      });
    });
    await this.acquireAndConnect();
    await settled;
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    this.stopWatchdog();
    const socket = this.socket;
    this.socket = undefined;
    await socket?.end(undefined);
    if (this.auth?.isLinked()) await this.auth.saveCreds();
    await this.releaseLock();
    this.setStatus('stopped');
  }

  /** Resolves when the connection is open, or rejects after `timeoutMs`. */
  waitForOpen(timeoutMs: number): Promise<void> {
    if (this.status === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onStatus = (s: ConnectionStatus) => {
        if (s !== 'open') return;
        clearTimeout(timeout);
        resolve();
      };
      const timeout = setTimeout(() => {
        this.off('status', onStatus);
        reject(new Error(`WhatsApp is not connected (${this.status})`));
      }, timeoutMs);
      this.on('status', onStatus);
    });
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  private async acquireAndConnect(): Promise<void> {
    if (this.stopping) return;
    const held = await this.deps.lock.acquire(this.deps.session);
    if (this.stopping) {
      await held?.release();
      return;
    }
    if (!held) {
      this.deps.logger.info(
        { session: this.deps.session },
        'WhatsApp is connected by another process; standing by',
      );
      this.setStatus('standby');
      this.schedule(() => this.acquireAndConnect(), this.deps.lockRetryMs);
      return;
    }
    this.held = held;
    held.lost.then(() => this.onLockLost(held));
    await this.connect();
  }

  private async onLockLost(held: HeldLock): Promise<void> {
    if (this.held !== held || this.stopping) return;
    this.deps.logger.warn({ session: this.deps.session }, 'WhatsApp account lock lost; closing the socket');
    this.held = undefined;
    this.stopWatchdog();
    const socket = this.socket;
    this.socket = undefined;
    await socket?.end(undefined);
    this.setStatus('standby');
    this.schedule(() => this.acquireAndConnect(), this.deps.lockRetryMs);
  }

  private async releaseLock(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    await held?.release();
  }

  private schedule(fn: () => Promise<void>, ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      fn().catch((err) => this.deps.logger.error({ err }, 'WhatsApp reconnect failed'));
    }, ms);
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    this.auth ??= await loadDbAuthState(this.deps.db, this.deps.session, this.baileysLogger);
    if (!this.auth.isLinked() && !this.deps.interactive) {
      this.deps.logger.warn(
        { session: this.deps.session },
        'WhatsApp is not linked yet: run `npx axon whatsapp login` to link a phone',
      );
      await this.releaseLock();
      this.setStatus('unlinked');
      return;
    }
    const auth = this.auth;
    const socket = this.deps.socketFactory({ auth: auth.state, logger: this.baileysLogger });
    this.socket = socket;
    this.setStatus('connecting');
    let pairingRequested = false;
    socket.ev.on('creds.update', () => {
      auth.saveCreds().catch((err) => this.deps.logger.error({ err }, 'saving WhatsApp credentials failed'));
    });
    socket.ws.on('frame', () => {
      this.lastFrameAt = Date.now();
    });
    socket.ev.on('connection.update', (update) => {
      if (this.socket !== socket) return;
      const interactive = this.deps.interactive;
      if (update.qr && interactive) {
        if (interactive.pairingPhone) {
          if (!pairingRequested) {
            pairingRequested = true;
            socket
              .requestPairingCode(interactive.pairingPhone)
              .then((code) => interactive.onPairingCode?.(code))
              .catch((err) => this.deps.logger.error({ err }, 'WhatsApp pairing code request failed'));
          }
        } else {
          interactive.onQr(update.qr);
        }
      }
      if (update.connection === 'open') {
        this.onOpen(socket).catch((err) => this.deps.logger.error({ err }, 'WhatsApp open handling failed'));
      }
      if (update.connection === 'close') {
        this.onClose(statusCodeOf(update.lastDisconnect?.error)).catch((err) =>
          this.deps.logger.error({ err }, 'WhatsApp disconnect handling failed'),
        );
      }
    });
    this.deps.onSocket?.(socket);
  }

  private async onOpen(socket: WhatsAppSocket): Promise<void> {
    this.openedAt = Date.now();
    this.lastFrameAt = Date.now();
    this.account = phoneFromJid(socket.user?.id) ?? this.account;
    this.ownJids = [socket.user?.id, socket.user?.lid].filter((j): j is string => Boolean(j));
    this.deps.logger.info({ session: this.deps.session, account: this.account }, 'WhatsApp connected');
    this.startWatchdog(socket);
    // Recorded before 'open' is announced, so whoever waits for it (the login command) reads it linked.
    await markLinked(this.deps.db, this.deps.session, this.account ?? null).catch((err) =>
      this.deps.logger.error({ err }, 'recording the WhatsApp session failed'),
    );
    if (this.socket === socket) this.setStatus('open');
  }

  private async onClose(code: number | undefined): Promise<void> {
    this.socket = undefined;
    this.stopWatchdog();
    if (this.stopping || !this.held) return;
    if (this.openedAt && Date.now() - this.openedAt >= (this.deps.stableMs ?? 60_000)) this.attempt = 0;
    this.openedAt = 0;
    const decision = decide(code);
    const delayMs =
      decision === 'backoff'
        ? backoffDelay(this.attempt++, this.deps.backoff, this.deps.random ?? Math.random)
        : 0;
    this.deps.logger.warn({ session: this.deps.session, code, decision, delayMs }, 'WhatsApp disconnected');
    if (decision === 'logged_out') {
      const reason = REASONS[code ?? 0] ?? `disconnected with ${code}`;
      this.auth = undefined;
      await markLoggedOut(this.deps.db, this.deps.session, reason);
      await this.releaseLock();
      this.setStatus('logged_out');
      this.emit('disconnect', { code, decision, delayMs });
      await this.deps.onLoggedOut?.(reason);
      return;
    }
    this.setStatus('connecting');
    this.emit('disconnect', { code, decision, delayMs });
    if (decision === 'restart') await this.connect();
    else this.schedule(() => this.connect(), delayMs);
  }

  private startWatchdog(socket: WhatsAppSocket): void {
    this.stopWatchdog();
    const every = Math.max(10, Math.floor(this.deps.watchdogMs / 4));
    this.watchdog = setInterval(() => {
      if (this.socket !== socket || Date.now() - this.lastFrameAt <= this.deps.watchdogMs) return;
      this.deps.logger.warn(
        { session: this.deps.session },
        'WhatsApp connection open but silent; reconnecting',
      );
      this.stopWatchdog();
      this.emit('watchdog');
      void socket.end(new SilentConnectionError('no frames received'));
    }, every);
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
  }
}
