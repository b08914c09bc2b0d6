import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiProblem } from '../api/client';
import type { Lang } from '../i18n';
import { ProblemNotice } from './problem';
import './confirm-action.css';

/**
 * An irreversible action in two steps: the button opens a question that says what will happen; only
 * its confirm button acts. The keyboard focus goes to the question (a screen reader reads it; a
 * second Enter pressed by mistake does nothing), Tab reaches "confirm", and the focus comes back to
 * the button when the question closes.
 */
export function ConfirmAction(props: {
  lang: Lang;
  label: string;
  question: ComponentChildren;
  /** The confirm button's words (default "Confirmer" / "Confirm"). */
  confirmLabel?: string;
  onConfirm: () => void | Promise<void>;
  problem?: ApiProblem;
  messages?: Parameters<typeof ProblemNotice>[0]['messages'];
  disabled?: boolean;
  primary?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const question = useRef<HTMLParagraphElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  // A layout effect: the focus moves in the same commit that shows the question, never a frame later.
  useLayoutEffect(() => {
    if (asking) question.current?.focus();
    else if (opened.current) button.current?.focus();
    opened.current = asking;
  }, [asking]);
  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  const fr = props.lang === 'fr';
  return (
    <div class="confirm-action">
      {!asking ? (
        <button
          ref={button}
          type="button"
          class={props.primary ? 'primary' : undefined}
          disabled={props.disabled}
          onClick={() => setAsking(true)}
        >
          {props.label}
        </button>
      ) : (
        <div class="confirm" role="group" aria-label={props.label}>
          <p ref={question} tabIndex={-1}>
            {props.question}
          </p>
          <button type="button" class="primary" disabled={busy || props.disabled} onClick={() => void confirm()}>
            {props.confirmLabel ?? (fr ? 'Confirmer' : 'Confirm')}
          </button>{' '}
          <button type="button" disabled={busy} onClick={() => setAsking(false)}>
            {fr ? 'Annuler' : 'Cancel'}
          </button>
        </div>
      )}
      <ProblemNotice lang={props.lang} problem={props.problem} messages={props.messages} />
    </div>
  );
}
