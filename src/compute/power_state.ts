/** Nova's power states (nova/compute/power_state.py); the numbers are what the API shows. */
export const PowerState = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;
export type PowerStateValue = (typeof PowerState)[keyof typeof PowerState];

export const POWER_STATE_NAMES: Record<number, string> = {
  0: 'pending', 1: 'running', 3: 'paused', 4: 'shutdown', 6: 'crashed', 7: 'suspended',
};
