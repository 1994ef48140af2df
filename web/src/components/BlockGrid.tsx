import { useI18n } from '../i18n';
import type { BlockState } from '../services/api';

interface BlockGridProps {
  blocks: BlockState[];
  /** When given, each cell has an edit button (a completed or failed video): called with the block's index. */
  onEdit?: (index: number) => void;
  /** The block whose edit form is open. */
  editing?: number | null;
  /** The id of the edit form, for aria-controls. */
  editorId?: string;
  /** A request is in flight: the edit buttons wait. */
  editDisabled?: boolean;
}

/** One cell per block: its number (1-based, as the server counts) and its state (raw in data-state). */
export function BlockGrid({ blocks, onEdit, editing = null, editorId, editDisabled = false }: BlockGridProps) {
  const { t } = useI18n();
  return (
    <ul className="block-grid" data-testid="block-grid">
      {blocks.map((block) => (
        <li
          key={block.index}
          className={`block block--${block.state}${editing === block.index ? ' block--editing' : ''}`}
          data-testid="block"
          data-index={block.index}
          data-state={block.state}
        >
          <span className="block__number">{t.progress.block(block.index)}</span>
          <span className="block__state">
            {t.progress.blockStates[block.state] ?? block.state}
            {block.attempt > 1 && <span className="block__attempt"> · {t.progress.attempt(block.attempt)}</span>}
          </span>
          {onEdit && (
            <button
              type="button"
              className="button button--small block__edit"
              data-testid="edit-block"
              aria-label={t.edit.buttonLabel(block.index)}
              aria-expanded={editing === block.index}
              aria-controls={editing === block.index ? editorId : undefined}
              disabled={editDisabled}
              onClick={() => onEdit(block.index)}
            >
              {t.edit.button}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
