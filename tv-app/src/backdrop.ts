/**
 * What shows behind the (transparent) Lightning canvas. Live and the player show the full-screen <video>;
 * the other pages show a solid page colour. The colour is painted by the browser under the canvas, not as a
 * full-screen WebGL quad: on a set-top box GPU (and in software GL) every textured full-screen quad costs a
 * large part of a frame, and the guide redraws while a key is held.
 */
import { COLORS } from './theme.ts';

export type Backdrop = 'video' | 'page';

export function showBackdrop(backdrop: Backdrop, body: HTMLElement = document.body): void {
  body.style.backgroundColor = backdrop === 'page' ? COLORS.background : '#000';
}
