import { zonedInstant } from "./time";

export interface WaveDates {
  opensOn: string;
  closesOn: string;
  closingTime: string;
  timeZone: string;
}

export const WAVE_STATES = ["upcoming", "open", "closed"] as const;
export type WaveState = (typeof WAVE_STATES)[number];

export const WAVE_STATE_LABELS: Record<WaveState, string> = {
  upcoming: "À venir",
  open: "Ouverte",
  closed: "Close",
};

/** A wave opens at midnight of its first day and closes at its closing hour, both wall-clock. */
export function waveOpening(wave: WaveDates) {
  return zonedInstant(wave.opensOn, "00:00", wave.timeZone);
}

export function waveClosing(wave: WaveDates) {
  return zonedInstant(wave.closesOn, wave.closingTime, wave.timeZone);
}

/** Closed from the closing instant included: at 12:00:00 sharp a 12:00 deadline has passed. */
export function waveState(wave: WaveDates, now: Date): WaveState {
  if (now < waveOpening(wave)) return "upcoming";
  if (now >= waveClosing(wave)) return "closed";
  return "open";
}
