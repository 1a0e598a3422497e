/** Thrown for a failed delivery attempt that will be retried (BullMQ's backoff decides when). */
export class DeliveryAttemptFailed extends Error {}
