import { Badge, createTheme, Modal, Notification, PasswordInput, Select, TextInput } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  // Keyboard users always see where they are; a mouse click does not leave a ring behind.
  focusRing: 'auto',
  components: {
    // Every field in Satchel's forms is required, so an asterisk on each label would only add noise
    // (inputs still carry `required` for assistive technology).
    TextInput: TextInput.extend({ defaultProps: { withAsterisk: false } }),
    Select: Select.extend({ defaultProps: { withAsterisk: false } }),
    PasswordInput: PasswordInput.extend({
      defaultProps: {
        withAsterisk: false,
        // Mantine's default label contains "password", which makes the toggle compete with the field's own label.
        visibilityToggleButtonProps: { 'aria-label': 'Show or hide what you typed' },
      },
    }),
    // A badge's words are the whole point of it: never cut to "In se…" when a table column is narrow.
    Badge: Badge.extend({ styles: { label: { overflow: 'visible', textOverflow: 'clip' } } }),
    // Mantine draws these close buttons as a bare icon, which a screen reader would announce as "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } }),
  },
});
