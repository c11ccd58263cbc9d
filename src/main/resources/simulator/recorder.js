// Recording a message from the microphone for a <Record> prompt: getUserMedia and MediaRecorder.
// stop() hands back { audio: base64, type: 'audio/webm', seconds } ready for the API.

const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/ogg', 'audio/mp4'];

export const canRecord = () =>
  Boolean(navigator.mediaDevices?.getUserMedia) && typeof window.MediaRecorder === 'function';

function toBase64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    });
    reader.addEventListener('error', () => reject(reader.error));
    reader.readAsDataURL(blob);
  });
}

export async function startRecording() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const release = () => stream.getTracks().forEach((track) => track.stop());
  const type = TYPES.find((t) => MediaRecorder.isTypeSupported?.(t));
  let recorder;
  try {
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  } catch (error) {
    release();
    throw error;
  }
  const chunks = [];
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data?.size) chunks.push(event.data);
  });
  const started = performance.now();
  recorder.start(1000);
  let stopping = null;

  return {
    elapsed: () => (performance.now() - started) / 1000,

    stop() {
      stopping ??= new Promise((resolve, reject) => {
        const seconds = Math.max(1, Math.round((performance.now() - started) / 1000));
        recorder.addEventListener(
          'stop',
          () => {
            release();
            const blob = new Blob(chunks, { type: recorder.mimeType || type || 'audio/webm' });
            if (!blob.size) {
              reject(new Error('The microphone recorded nothing.'));
              return;
            }
            toBase64(blob).then(
              (audio) => resolve({ audio, type: (blob.type || 'audio/webm').split(';')[0], seconds }),
              reject,
            );
          },
          { once: true },
        );
        if (recorder.state === 'inactive') recorder.dispatchEvent(new Event('stop'));
        else recorder.stop();
      });
      return stopping;
    },

    cancel() {
      try {
        if (recorder.state !== 'inactive') recorder.stop();
      } catch {
        // already stopped
      }
      release();
    },
  };
}
