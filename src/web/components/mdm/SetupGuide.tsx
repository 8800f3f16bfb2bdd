import { Anchor, Image, Modal, Table, Typography } from '@mantine/core';
import type { ComponentProps } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** Where the guides' relative links and images live on the server (`docs/` is served as it is). */
const GUIDE_BASE = '/docs/providers/';

/** A guide's first-level heading becomes the dialog's title; the rest is its body. */
export function splitGuide(markdown: string): { title: string | null; body: string } {
  const match = /^#\s+(.+)\r?\n/.exec(markdown.trimStart());
  if (!match) return { title: null, body: markdown };
  return { title: match[1]!.trim(), body: markdown.trimStart().slice(match[0].length) };
}

function resolved(href: string | undefined): string | undefined {
  if (!href) return href;
  if (href.startsWith('#')) return href;
  return new URL(href, new URL(GUIDE_BASE, window.location.origin)).toString();
}

function isExternal(href: string | undefined): boolean {
  return !!href && /^https?:/i.test(href) && new URL(href).origin !== window.location.origin;
}

/**
 * The guide's headings sit one level below the dialog's title (h2), so the page's outline stays whole;
 * consoles and other sites open in a new tab, and images resolve against the guides' folder on the server.
 */
const COMPONENTS: Components = {
  h1: ({ node: _node, ...props }) => <h2 {...props} />,
  h2: ({ node: _node, ...props }) => <h3 {...props} />,
  h3: ({ node: _node, ...props }) => <h4 {...props} />,
  h4: ({ node: _node, ...props }) => <h5 {...props} />,
  a: ({ node: _node, href, children }) => {
    const target = resolved(href);
    return isExternal(target) ? (
      <Anchor href={target} target="_blank" rel="noreferrer">
        {children}
      </Anchor>
    ) : (
      <Anchor href={target}>{children}</Anchor>
    );
  },
  img: ({ node: _node, src, alt }) => (
    <Image
      src={resolved(typeof src === 'string' ? src : undefined)}
      alt={alt ?? ''}
      fit="contain"
      maw="100%"
    />
  ),
  table: ({ node: _node, children }) => (
    <Table.ScrollContainer minWidth={480}>
      <Table withTableBorder withColumnBorders striped>
        {children}
      </Table>
    </Table.ScrollContainer>
  ),
};

/** A provider's setup guide, written in Markdown, shown as formatted text. Raw HTML in it is never rendered. */
export function GuideText({ markdown }: { markdown: string }) {
  return (
    <Typography>
      <Markdown remarkPlugins={[remarkGfm]} components={COMPONENTS}>
        {markdown}
      </Markdown>
    </Typography>
  );
}

type ModalProps = Pick<ComponentProps<typeof Modal>, 'opened' | 'onClose'>;

/** The setup guide in a dialog, opened from the provider's tile. */
export function SetupGuideModal({
  markdown,
  providerName,
  ...modal
}: ModalProps & { markdown: string; providerName: string }) {
  const { title, body } = splitGuide(markdown);
  return (
    <Modal {...modal} title={title ?? `${providerName} setup guide`} size="xl">
      <GuideText markdown={body} />
    </Modal>
  );
}
