/**
 * Preview of a live channel: hls.js is loaded only when a preview starts (a separate chunk), the video is
 * muted by default (the broadcaster turns sound on with the native controls). Safari plays HLS natively.
 */
import { useEffect, useRef } from 'react';

export function Player({ src, label }: { src: string; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let destroy: (() => void) | undefined;
    let cancelled = false;
    void import('hls.js').then(({ default: Hls }) => {
      if (cancelled) return;
      if (Hls.isSupported()) {
        const hls = new Hls({ lowLatencyMode: false });
        hls.loadSource(src);
        hls.attachMedia(element);
        destroy = () => hls.destroy();
      } else {
        element.src = src;
      }
      void element.play().catch(() => undefined);
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [src]);
  return <video ref={video} className="player" aria-label={label} muted controls playsInline />;
}
