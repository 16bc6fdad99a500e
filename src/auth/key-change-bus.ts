import type { Redis } from 'ioredis';

/**
 * Tells every replica that API keys changed (created, revoked, limits edited), through Redis
 * pub/sub, so a revocation takes effect everywhere within a round trip instead of a cache TTL.
 * Messages sent while a replica is disconnected are lost, so a replica that reconnects forgets its
 * whole key cache; the cache TTL stays as the last resort.
 */
export function keyChangeChannel(prefix: string): string {
  return `${prefix}keys:changed`;
}

export class KeyChangeBus {
  private readonly subscriber: Redis;
  private wasDisconnected = false;

  constructor(
    private readonly publisher: Redis,
    private readonly channel: string,
    onChange: (hash: string | undefined) => void,
  ) {
    // Its own connection (a subscribed one can do nothing else), queueing while disconnected and
    // without the publisher's command timeout, which would fail the long-lived SUBSCRIBE.
    this.subscriber = publisher.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null });
    // Errors are the connection's; its owner's health tracking reports them.
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('close', () => {
      this.wasDisconnected = true;
    });
    this.subscriber.on('ready', () => {
      if (this.wasDisconnected) onChange(undefined);
      this.wasDisconnected = false;
    });
    this.subscriber.on('message', (_channel: string, message: string) => {
      onChange(message === '*' || message === '' ? undefined : message);
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(this.channel);
  }

  /** Announces a change of one key (by hash) or of keys in general. */
  async publish(hash?: string): Promise<void> {
    await this.publisher.publish(this.channel, hash ?? '*');
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
