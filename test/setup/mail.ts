import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from './app.ts';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/** A real SMTP server on loopback that keeps every message it receives, parsed. */
export interface MailCatcher {
  url: string;
  received: ReceivedMail[];
  /** The first message to `to` (and matching `subject`, if given) that arrives; waits up to `timeoutMs`. */
  waitFor(to: string, subject?: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  /** The link Satchel put in the message. */
  linkIn(mail: ReceivedMail): string;
  close(): Promise<void>;
}

function addresses(parsed: ParsedMail): string[] {
  const to = [parsed.to ?? []].flat();
  return to.flatMap((group) => group.value.map((entry) => (entry.address ?? '').toLowerCase()));
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            to: addresses(parsed),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const find = (to: string, subject?: RegExp) =>
    received.find((mail) => mail.to.includes(to.toLowerCase()) && (!subject || subject.test(mail.subject)));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(to, subject, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = find(to, subject);
        if (mail) return mail;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    linkIn(mail) {
      const match = /https?:\/\/\S+/.exec(mail.text);
      if (!match) throw new Error(`no link in: ${mail.text}`);
      return match[0];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One mail catcher and one app sending through it, per test file. */
export function withMailApp(): () => { mail: MailCatcher; testApp: TestApp } {
  let mail: MailCatcher | undefined;
  let testApp: TestApp | undefined;
  beforeAll(async () => {
    mail = await startMailCatcher();
    testApp = await createTestApp({ SMTP_URL: mail.url });
  });
  afterAll(async () => {
    await testApp?.app.close();
    await testApp?.database.close();
    await mail?.close();
  });
  return () => {
    if (!mail || !testApp) throw new Error('The mail test app is not ready yet');
    return { mail, testApp };
  };
}
