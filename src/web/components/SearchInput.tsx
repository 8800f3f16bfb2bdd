import { TextInput, type TextInputProps } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';

interface SearchInputProps extends Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue'> {
  /** The applied value (e.g. from the URL). */
  value: string;
  /** Called with the trimmed text once typing pauses, or at once on Enter. */
  onChange: (value: string) => void;
  delay?: number;
}

/** A text box that applies what was typed after a pause, and follows outside changes (back button, "Clear"). */
export function SearchInput({ value, onChange, delay = 300, ...props }: SearchInputProps) {
  const [text, setText] = useState(value);
  const applied = useRef(value);

  useEffect(() => {
    if (value !== applied.current) {
      applied.current = value;
      setText(value);
    }
  }, [value]);

  const apply = useDebouncedCallback((next: string) => {
    const trimmed = next.trim();
    if (trimmed === applied.current) return;
    applied.current = trimmed;
    onChange(trimmed);
  }, delay);

  return (
    <TextInput
      type="search"
      {...props}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        apply(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          apply(event.currentTarget.value);
          apply.flush();
        }
      }}
    />
  );
}
