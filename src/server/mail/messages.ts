import type { MailMessage } from './mailer.ts';

/** The words of every mail Satchel sends, in one place. */

export function invitationMail(input: {
  to: string;
  name: string;
  districtName: string;
  invitedBy: string;
  link: string;
}): MailMessage {
  return {
    to: input.to,
    subject: `You're invited to Satchel for ${input.districtName}`,
    text: [
      `Hello ${input.name},`,
      '',
      `${input.invitedBy} invited you to Satchel, the device inventory for ${input.districtName}.`,
      'Open this link within 7 days to set up your account:',
      '',
      input.link,
      '',
      'If you were not expecting this, you can ignore this message.',
    ].join('\n'),
  };
}

export function passwordResetMail(input: { to: string; districtName: string; link: string }): MailMessage {
  return {
    to: input.to,
    subject: 'Reset your Satchel password',
    text: [
      `Someone asked to reset the Satchel password for ${input.to} (${input.districtName}).`,
      'Open this link within 1 hour to choose a new password. It works once:',
      '',
      input.link,
      '',
      'If it was not you, ignore this message: your password stays as it is.',
    ].join('\n'),
  };
}

export function notificationMail(input: { to: string; subject: string; lines: string[] }): MailMessage {
  return {
    to: input.to,
    subject: input.subject,
    text: [...input.lines, '', 'You get this because you asked for it on your Satchel account page.'].join(
      '\n',
    ),
  };
}
