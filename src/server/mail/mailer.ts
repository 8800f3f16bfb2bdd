import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends through the configured SMTP server; `enabled` is false when none is configured. */
export interface Mailer {
  enabled: boolean;
  send(message: MailMessage): Promise<void>;
}

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export function mailerFor(config: Pick<Config, 'mail'>): Mailer {
  const { smtpUrl, from } = config.mail;
  if (!smtpUrl) {
    return {
      enabled: false,
      send: () => Promise.reject(new Error('Mail is off: SMTP_URL is not set')),
    };
  }
  return {
    enabled: true,
    async send(message) {
      await transportFor(smtpUrl).sendMail({ from, ...message });
    },
  };
}
