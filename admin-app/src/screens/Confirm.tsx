/**
 * Modal dialogs opened by a button (focus moves in, Escape cancels, focus returns to the trigger): the shell
 * every dialog of the console shares, and the confirmation for switches that air.
 */
import type { ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

/** A button that opens a modal dialog titled `title`; `children` gets the dialog's close. */
export function DialogButton(props: {
  label: string;
  title: string;
  isDisabled?: boolean;
  /** An alert dialog: a confirmation of something that airs. */
  alert?: boolean;
  onOpenChange?(open: boolean): void;
  children(close: () => void): ReactNode;
}) {
  return (
    <DialogTrigger onOpenChange={props.onOpenChange}>
      <Button isDisabled={props.isDisabled}>{props.label}</Button>
      <ModalOverlay isDismissable>
        <Modal>
          <Dialog role={props.alert ? 'alertdialog' : 'dialog'}>
            {({ close }) => (
              <>
                <Heading slot="title">{props.title}</Heading>
                {props.children(close)}
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

export function ConfirmButton(props: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  isDisabled?: boolean;
  onConfirm(): void;
}) {
  const { t } = useTranslation();
  return (
    <DialogButton label={props.label} title={props.title} isDisabled={props.isDisabled} alert>
      {(close) => (
        <>
          {props.children}
          <div className="actions">
            <Button onPress={close} autoFocus>
              {t('common.cancel')}
            </Button>
            <Button
              className="react-aria-Button danger"
              onPress={() => {
                close();
                props.onConfirm();
              }}
            >
              {props.confirmLabel}
            </Button>
          </div>
        </>
      )}
    </DialogButton>
  );
}
