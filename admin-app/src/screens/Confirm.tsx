/** A modal confirmation (focus moves in, Escape cancels, focus returns to the trigger): for switches that air. */
import type { ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';

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
    <DialogTrigger>
      <Button isDisabled={props.isDisabled}>{props.label}</Button>
      <ModalOverlay isDismissable>
        <Modal>
          <Dialog role="alertdialog">
            {({ close }) => (
              <>
                <Heading slot="title">{props.title}</Heading>
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
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
