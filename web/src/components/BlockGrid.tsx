import { useI18n } from '../i18n';
import type { BlockState } from '../services/api';

/** One cell per block: its number (1-based, as the server counts) and its state (raw in data-state). */
export function BlockGrid({ blocks }: { blocks: BlockState[] }) {
  const { t } = useI18n();
  return (
    <ul className="block-grid" data-testid="block-grid">
      {blocks.map((block) => (
        <li
          key={block.index}
          className={`block block--${block.state}`}
          data-testid="block"
          data-index={block.index}
          data-state={block.state}
        >
          <span className="block__number">{t.progress.block(block.index)}</span>
          <span className="block__state">
            {t.progress.blockStates[block.state] ?? block.state}
            {block.attempt > 1 && <span className="block__attempt"> · {t.progress.attempt(block.attempt)}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}
