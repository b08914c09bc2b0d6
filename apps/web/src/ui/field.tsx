import type { JSX } from 'preact';

/**
 * A labelled form control with its hint and error tied to it (aria-describedby), so a screen
 * reader reads the label, the hint and what is wrong together.
 */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (aria: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => JSX.Element;
}) {
  const described = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <span id={`${props.id}-hint`} class="hint">
          {props.hint}
        </span>
      )}
      {props.children({ id: props.id, 'aria-describedby': described || undefined, 'aria-invalid': props.error ? true : undefined })}
      {props.error && (
        <span id={`${props.id}-error`} class="field-error">
          {props.error}
        </span>
      )}
    </div>
  );
}

/** The value of an input event's target. */
export const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
